import { html, nothing, render } from 'lit';
import type { FwContextChangeDetail } from '../../components/events.ts';

/** "list "My list" › item #2 "call the bank"" — the current context and its parents. */
export function renderBreadcrumb(target: HTMLElement, detail: FwContextChangeDetail | undefined): void {
  render(
    detail
      ? html`
          <span class="crumb-label">Context</span>
          <ol>
            ${detail.path.map(
              (c, i) => html`<li class="crumb" data-context=${c.context} aria-current=${i === detail.path.length - 1 ? 'location' : nothing}>
                <span class="crumb-display">${c.display}</span>
                <span class="crumb-context">${c.context === '*' ? 'global' : c.context}</span>
              </li>`,
            )}
          </ol>
        `
      : html`<span class="crumb-label">Context</span><span class="muted">opening…</span>`,
    target,
  );
}
