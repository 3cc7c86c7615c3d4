import { html, nothing, type TemplateResult } from 'lit';
import { humanizeName, type HistoryEntry } from '../src/index.ts';

/** A line of the transcript: the session's history, plus notices of this element (errors, reloads). */
export interface TranscriptEntry {
  role: 'user' | 'assistant' | 'notice';
  text: string;
  at: number;
  kind?: string;
  success?: boolean;
  command?: string;
  /** A user message shown before its turn is saved. */
  sending?: boolean;
}

/** History and notices in time order (notices are kept by the element, not stored). */
export function mergeTranscript(history: readonly HistoryEntry[], notices: readonly TranscriptEntry[]): TranscriptEntry[] {
  const fromHistory: TranscriptEntry[] = history.map((h) => ({ role: h.role, text: h.text, at: h.at, kind: h.kind, success: h.success, command: h.command }));
  if (notices.length === 0) return fromHistory;
  return [...fromHistory, ...notices].map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map(({ e }) => e);
}

/**
 * The transcript. Text goes through lit text bindings only — never innerHTML — so whatever a user
 * types or a handler returns is shown as text.
 */
export function renderTranscript(entries: readonly TranscriptEntry[], intro: string | undefined, busy: boolean): TemplateResult {
  return html`
    ${intro && entries.length === 0 ? html`<p class="intro" part="intro">${intro}</p>` : nothing}
    ${entries.map((e) => renderEntry(e))}
    ${busy ? html`<div class="msg typing" part="typing" aria-hidden="true"><div class="bubble"><span></span><span></span><span></span></div></div>` : nothing}
  `;
}

function renderEntry(e: TranscriptEntry): TemplateResult {
  const tone = e.role === 'notice' ? 'notice' : e.role === 'assistant' ? tonesOf(e) : 'user';
  const who = e.role === 'user' ? 'You' : e.role === 'assistant' ? 'Assistant' : 'Notice';
  return html`
    <div class="msg ${e.role} ${tone}${e.sending ? ' sending' : ''}" part="message message-${e.role}" data-role=${e.role} data-kind=${e.kind ?? ''}>
      <span class="sr-only">${who}: </span>
      <div class="bubble" part="bubble bubble-${e.role}">${e.text}</div>
      ${e.role === 'assistant' && e.command && e.kind === 'result' ? html`<span class="badge" part="badge">${humanizeName(e.command)}</span>` : nothing}
    </div>
  `;
}

function tonesOf(e: TranscriptEntry): string {
  if (e.kind === 'error') return 'error';
  if (e.kind?.startsWith('ask_')) return 'question';
  if (e.kind === 'out_of_scope' || e.success === false) return 'warning';
  return 'ok';
}
