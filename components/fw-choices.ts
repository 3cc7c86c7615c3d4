import { html, type TemplateResult } from 'lit';
import { humanizeName, type Clarification } from '../src/index.ts';

export type IntentQuestion = Extract<Clarification, { type: 'intent' }>;
export type ConfirmationQuestion = Extract<Clarification, { type: 'confirmation' }>;

/** "Which command did you mean?" as real buttons (plus a way out). */
export function renderIntentChoices(q: IntentQuestion, choose: (command: string) => void, cancel: () => void): TemplateResult {
  const heading = q.reason === 'ambiguous' ? html`Which did you mean by “${q.utterance}”?` : html`Which command did you mean by “${q.utterance}”?`;
  return html`
    <div class="choices" part="choices" role="group" aria-labelledby="choices-title" @keydown=${escapeTo(cancel)}>
      <div class="form-title" id="choices-title" part="form-title">${heading}</div>
      ${q.choices.map(
        (c) => html`
          <button type="button" part="choice" class="choice" data-command=${c.command} @click=${() => choose(c.command)}>
            <span class="choice-name">${humanizeName(c.command)}</span>
            ${c.description ? html`<span class="choice-desc">${c.description}</span>` : ''}
          </button>
        `,
      )}
      <button type="button" part="choice-cancel" class="secondary" @click=${cancel}>None of these</button>
    </div>
  `;
}

/** "Shall I go ahead?" with yes / no buttons. */
export function renderConfirmation(q: ConfirmationQuestion, answer: (yes: boolean) => void): TemplateResult {
  return html`
    <div class="confirm" part="confirmation" role="group" aria-labelledby="confirm-title" @keydown=${escapeTo(() => answer(false))}>
      <div class="form-title" id="confirm-title" part="form-title">${q.summary}</div>
      <div class="form-actions">
        <button type="button" part="confirm-yes" class="primary" @click=${() => answer(true)}>Yes, ${humanizeName(q.command)}</button>
        <button type="button" part="confirm-no" class="secondary" @click=${() => answer(false)}>No</button>
      </div>
    </div>
  `;
}

function escapeTo(fn: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      fn();
    }
  };
}
