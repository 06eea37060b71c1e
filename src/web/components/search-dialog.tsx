import { useEffect, useState } from 'preact/hooks';
import type { SearchHit } from '../../client/index.js';
import type { PageChat } from '../chat.js';
import { conversationLabel } from '../search-words.js';
import { Dialog } from './dialog.js';
import { focusOnFirstShow } from './password-field.js';
import { SearchResult } from './search-result.js';

/** Hits asked for at a time (SEARCH allows up to 100: docs/protocol.md §11). */
const HITS = 20;

interface Props {
  chat: PageChat;
  /** What to search for at once (`/search WORDS`). */
  query?: string | undefined;
  /** Closes the dialog; `text` once a hit is opened (its conversation is shown, the text box next). */
  close: (then?: 'text') => void;
}

/** What the last search found: its words, its hits so far, whether there may be more; or why it failed. */
type Found = { query: string; hits: SearchHit[]; more: boolean } | { error: string };

/**
 * Searching the messages the user may read (SEARCH, docs/protocol.md §11): every word is required;
 * everywhere, or in the conversation shown. Hits come newest first, with their conversation, time
 * and sender, the words marked; opening one shows its conversation at that message.
 */
export function SearchDialog({ chat, query: asked, close }: Props) {
  const [query, setQuery] = useState(asked ?? '');
  const [onlyHere, setOnlyHere] = useState(false);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Found | undefined>(undefined);
  const here = chat.target;
  const search = async (words: string, before?: number) => {
    setBusy(true);
    const outcome = await chat.search(words, { ...(onlyHere && { conversation: here }), ...(before !== undefined && { before }), limit: HITS });
    setBusy(false);
    if (!outcome.ok) return setFound({ error: outcome.error });
    const earlier = before !== undefined && found && 'hits' in found ? found.hits : [];
    setFound({ query: words, hits: [...earlier, ...outcome.value], more: outcome.value.length === HITS });
  };
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    if (query.trim() !== '') void search(query.trim());
  };
  const open = (hit: SearchHit) => {
    close('text');
    void chat.showMessage(hit.conversation, hit.id);
  };
  useEffect(() => {
    if (asked) void search(asked); // `/search WORDS`: at once
  }, []);
  return (
    <Dialog id="search" title="Search messages" onClose={() => close()}>
      <form role="search" class="search-form" onSubmit={onSubmit}>
        <label for="search-input" class="field-label">Messages holding every word of</label>
        <div class="row">
          <input id="search-input" type="search" value={query} ref={focusOnFirstShow} autocomplete="off" onInput={(e) => setQuery(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>Search</button>
        </div>
        <label class="choice">
          <input id="search-here" type="checkbox" checked={onlyHere} onChange={(e) => setOnlyHere(e.currentTarget.checked)} />
          Only here: {conversationLabel(here)}
        </label>
      </form>
      <p id="search-status" class="muted" role="status">{busy ? 'Searching…' : statusOf(found)}</p>
      {found && 'hits' in found && (
        <ol id="search-results" class="search-results">
          {found.hits.map((hit) => <SearchResult key={hit.id} hit={hit} query={found.query} open={open} />)}
        </ol>
      )}
      {found && 'hits' in found && found.more && (
        <button type="button" class="plain" disabled={busy} onClick={() => void search(found.query, found.hits.at(-1)!.id)}>More results</button>
      )}
    </Dialog>
  );
}

function statusOf(found: Found | undefined): string {
  if (found === undefined) return '';
  if ('error' in found) return found.error;
  const n = found.hits.length;
  if (n === 0) return 'No message holds all of these words.';
  return `${n === 1 ? '1 message' : `${n}${found.more ? ' or more' : ''} messages`}, newest first.`;
}
