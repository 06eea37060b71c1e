import type { ComponentChildren } from 'preact';

interface Props<T extends string> {
  id: string;
  /** What the tabs choose between, for screen readers. */
  label: string;
  tabs: ReadonlyArray<readonly [value: T, label: string]>;
  chosen: T;
  choose: (value: T) => void;
  children: ComponentChildren;
}

/**
 * Tabs as screen readers know them (a tablist, its tabs, the panel of the one chosen): Tab reaches
 * the chosen tab, the arrow keys move to the others.
 */
export function Tabs<T extends string>({ id, label, tabs, chosen, choose, children }: Props<T>) {
  const onKeyDown = (e: KeyboardEvent) => {
    const step = ({ ArrowRight: 1, ArrowLeft: -1 } as Record<string, number>)[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const at = tabs.findIndex(([value]) => value === chosen);
    const [next] = tabs[(at + step + tabs.length) % tabs.length]!;
    choose(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map(([value, text]) => (
          <button
            key={value} id={`${id}-tab-${value}`} type="button" role="tab" aria-selected={value === chosen} aria-controls={`${id}-panel`}
            tabIndex={value === chosen ? 0 : -1} onClick={() => choose(value)}
          >
            {text}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${chosen}`} class="tab-panel">
        {children}
      </div>
    </>
  );
}
