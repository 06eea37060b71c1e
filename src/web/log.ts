import { ALL } from '../protocol/index.js';

/** How close to the bottom (px) still counts as "reading the latest". */
const AT_BOTTOM_PX = 40;

/**
 * The message log. Everything is rendered as text (never as HTML); it follows new messages only
 * while the reader is at the bottom, and otherwise offers a button to jump down.
 */
export class ChatLog {
  constructor(
    private readonly list: HTMLElement,
    private readonly jump: HTMLButtonElement,
  ) {
    list.addEventListener('scroll', () => {
      if (this.atBottom()) jump.hidden = true;
    });
    jump.addEventListener('click', () => {
      list.scrollTop = list.scrollHeight;
      jump.hidden = true;
    });
  }

  message(m: { from: string; to: string; text: string; own: boolean }, me: string | undefined): void {
    const li = document.createElement('li');
    const whisper = m.to !== ALL;
    li.className = [m.own ? 'own' : '', whisper ? 'whisper' : ''].join(' ').trim();
    if (whisper) {
      li.append(span('tag', m.own ? `whisper to ${m.to}` : m.to === me ? 'whisper' : `to ${m.to}`), ' ');
    }
    li.append(span('from', m.own ? 'You' : m.from), ' ', span('text', m.text));
    this.add(li);
  }

  notice(text: string): void {
    const li = document.createElement('li');
    li.className = 'notice';
    li.append(span('text', text));
    this.add(li);
  }

  private add(li: HTMLElement): void {
    const follow = this.atBottom();
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    li.prepend(time, ' ');
    this.list.append(li);
    if (follow) this.list.scrollTop = this.list.scrollHeight;
    else this.jump.hidden = false;
  }

  private atBottom(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < AT_BOTTOM_PX;
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}
