/**
 * Light or dark: the system's setting unless the user picked one with the toggle, which is
 * remembered in localStorage. The choice is an attribute on <html> that style.css reads.
 */
export type Theme = 'light' | 'dark';
const KEY = 'howdy.theme';

export function applySavedTheme(): void {
  const saved = readSaved();
  if (saved) document.documentElement.dataset.theme = saved;
}

export function currentTheme(): Theme {
  const picked = document.documentElement.dataset.theme;
  if (picked === 'light' || picked === 'dark') return picked;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // storage can be off (private windows); the choice then lasts for this page only
  }
  return next;
}

function readSaved(): Theme | undefined {
  try {
    const saved = localStorage.getItem(KEY);
    return saved === 'light' || saved === 'dark' ? saved : undefined;
  } catch {
    return undefined;
  }
}
