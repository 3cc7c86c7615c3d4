import { css, html, nothing, type TemplateResult } from 'lit';
import { humanizeName, type Correction } from '../src/index.ts';

/** What the "What I learned" panel needs: the corrections in scope and what its buttons do. */
export interface LearnedPanel {
  corrections: readonly Correction[];
  scope: 'session' | 'device';
  undo: (correction: Correction) => void;
  download: () => void;
  /** The panel was opened or closed (it takes room from the conversation above it). */
  toggled?: (open: boolean) => void;
}

/**
 * "What I learned": each correction (utterance → command, context, when) with its own Undo button,
 * and a download of the corrections as a JSON file (`fastworkflow train --corrections` reads it).
 * A native <details> disclosure: keyboard and screen readers work without extra code.
 */
export function renderLearned(p: LearnedPanel): TemplateResult | typeof nothing {
  if (p.corrections.length === 0) return nothing;
  const where = p.scope === 'device' ? 'every conversation in this browser' : 'this conversation';
  return html`
    <details class="learned" part="learned" @toggle=${(e: Event) => p.toggled?.((e.target as HTMLDetailsElement).open)}>
      <summary part="learned-summary">What I learned (${p.corrections.length})</summary>
      <p class="learned-note">Corrections used by ${where}.</p>
      <ul class="learned-list" aria-label="What I learned">
        ${p.corrections.map(
          (c) => html`
            <li class="learned-item" part="learned-item" data-id=${c.id}>
              <span class="learned-what"><q>${c.utterance}</q> → <strong>${humanizeName(c.command)}</strong></span>
              <span class="learned-meta">${c.context === '*' ? 'everywhere' : c.context} · <time datetime=${new Date(c.at).toISOString()}>${when(c.at)}</time></span>
              <button type="button" part="learned-undo" class="secondary" aria-label=${`Undo: “${c.utterance}” means ${humanizeName(c.command)}`} @click=${() => p.undo(c)}>Undo</button>
            </li>
          `,
        )}
      </ul>
      <button type="button" part="learned-download" class="secondary" @click=${p.download}>Download corrections (JSON)</button>
    </details>
  `;
}

function when(at: number): string {
  const d = new Date(at);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Save text as a file from the page (a temporary object URL and a download link). */
export function downloadText(doc: Document, filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const learnedStyles = css`
  .learned {
    margin: 0 var(--_gap) var(--_gap);
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    background: var(--_surface);
    font-size: 0.92em;
  }
  .learned summary {
    cursor: pointer;
    color: var(--_muted);
    font-weight: 600;
  }
  .learned summary:focus-visible {
    outline: none;
    box-shadow: var(--_focus);
    border-radius: 4px;
  }
  .learned-note {
    margin: 6px 0;
    color: var(--_muted);
  }
  .learned-list {
    list-style: none;
    margin: 0 0 8px;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
    max-height: 12em;
    overflow-y: auto;
  }
  .learned-item {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0 8px;
    align-items: center;
  }
  .learned-meta {
    grid-column: 1;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .learned-item button {
    grid-column: 2;
    grid-row: 1 / span 2;
    padding: 4px 10px;
  }
`;
