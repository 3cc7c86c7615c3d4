import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { describeExpected, FieldKind, humanizeName, ProblemCode, type Clarification, type FieldInfo, type FieldProblem } from '../src/index.ts';

export type ParameterQuestion = Extract<Clarification, { type: 'parameters' }>;

export interface ParamFormHandlers {
  submit(values: Record<string, unknown>): void;
  cancel(): void;
}

/**
 * A form generated from a parameter question: one control per field (enum → select, number → number
 * input, boolean → checkbox, array → comma list, pattern → pattern attribute), the engine's problems
 * next to their fields. `novalidate`: the engine is the one gate, its messages are shown in place.
 */
export function renderParamForm(q: ParameterQuestion, handlers: ParamFormHandlers, opts: { attempted: boolean }): TemplateResult {
  // On the first ask, "missing" is not an error yet: it becomes one when a submission left it empty.
  const shown = (p: FieldProblem) => opts.attempted || p.code !== ProblemCode.Missing;
  const general = q.problems.filter((p) => !p.field || !q.fields.some((f) => f.name === p.field));
  const onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    handlers.submit(readValues(e.currentTarget as HTMLFormElement, q.fields));
  };
  const onKeydown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      handlers.cancel();
    }
  };
  return html`
    <form part="param-form" class="param-form" novalidate aria-labelledby="param-form-title" @submit=${onSubmit} @keydown=${onKeydown}>
      <div class="form-title" id="param-form-title" part="form-title">${humanizeName(q.command)}: a few details</div>
      ${general.map((p) => html`<p class="problem general" part="problem">${p.message}</p>`)}
      ${q.fields.map((f) => renderField(f, q.values[f.name], q.problems.find((p) => p.field === f.name && shown(p))))}
      <div class="form-actions">
        <button type="submit" part="form-submit" class="primary">Run ${humanizeName(q.command)}</button>
        <button type="button" part="form-cancel" class="secondary" @click=${handlers.cancel}>Cancel</button>
      </div>
    </form>
  `;
}

function renderField(f: FieldInfo, current: unknown, problem: FieldProblem | undefined): TemplateResult {
  const id = `fw-field-${f.name}`;
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const value = current ?? f.default;
  const hint = describeExpected(f);
  const describedBy = [problem ? problemId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  const invalid = problem ? 'true' : 'false';
  const label = html`<label for=${id} part="field-label">${f.label}${f.required && f.default === undefined ? html`<span class="req" aria-hidden="true"> *</span>` : nothing}</label>`;

  if (f.kind === FieldKind.Boolean) {
    return html`
      <div class="field checkbox" part="field" data-field=${f.name}>
        <input id=${id} name=${f.name} type="checkbox" part="control" .checked=${value === true} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} />
        ${label} ${renderProblem(problem, problemId)} ${hint ? html`<small id=${hintId} part="hint">${hint}</small>` : nothing}
      </div>
    `;
  }

  let control: TemplateResult;
  if (f.enumValues) {
    const selected = value === undefined ? '' : String(value);
    control = html`
      <select id=${id} name=${f.name} part="control" ?required=${f.required} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)}>
        ${selected === '' ? html`<option value="" selected>Choose…</option>` : nothing}
        ${f.enumValues.map((v) => html`<option value=${v} ?selected=${v === selected}>${v}</option>`)}
      </select>
    `;
  } else if (f.kind === FieldKind.Number || f.kind === FieldKind.Integer) {
    control = html`
      <input id=${id} name=${f.name} type="number" part="control" inputmode=${f.kind === FieldKind.Integer ? 'numeric' : 'decimal'}
        step=${f.kind === FieldKind.Integer ? '1' : 'any'} min=${ifDefined(f.minimum)} max=${ifDefined(f.maximum)}
        .value=${value === undefined ? '' : String(value)} ?required=${f.required}
        placeholder=${ifDefined(example(f))} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} />
    `;
  } else {
    const text = Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);
    control = html`
      <input id=${id} name=${f.name} type="text" part="control" autocomplete="off" .value=${text} ?required=${f.required}
        pattern=${ifDefined(f.pattern ? htmlPattern(f.pattern) : undefined)} placeholder=${ifDefined(example(f))}
        aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} />
    `;
  }
  return html`
    <div class="field" part="field" data-field=${f.name}>
      ${label} ${control} ${renderProblem(problem, problemId)} ${hint ? html`<small id=${hintId} part="hint">${hint}</small>` : nothing}
    </div>
  `;
}

function renderProblem(problem: FieldProblem | undefined, id: string) {
  if (!problem) return nothing;
  const suggestions = problem.suggestions?.length && !problem.message.includes(problem.suggestions[0]) ? ` Did you mean: ${problem.suggestions.join(', ')}?` : '';
  return html`<span class="problem" id=${id} part="problem">${problem.message}${suggestions}</span>`;
}

function example(f: FieldInfo): string | undefined {
  const e = f.examples[0];
  return e === undefined ? undefined : `e.g. ${Array.isArray(e) ? e.join(', ') : String(e)}`;
}

/**
 * JSON Schema patterns match anywhere in the value; the HTML pattern attribute must match all of it
 * (it is wrapped in ^(?:…)$ with the `v` flag). A pattern the browser cannot compile is ignored by it.
 */
function htmlPattern(pattern: string): string {
  return `.*(?:${pattern}).*`;
}

/** The form's values, typed by field kind; empty controls are left out (the engine asks for them). */
export function readValues(form: HTMLFormElement, fields: readonly FieldInfo[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of fields) {
    const el = form.elements.namedItem(f.name) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) continue;
    if (f.kind === FieldKind.Boolean) {
      values[f.name] = (el as HTMLInputElement).checked;
      continue;
    }
    const raw = el.value.trim();
    if (raw === '') continue;
    if (f.kind === FieldKind.Number || f.kind === FieldKind.Integer) {
      const n = Number(raw);
      values[f.name] = Number.isFinite(n) ? n : raw;
    } else if (f.kind === FieldKind.Array) {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      values[f.name] = f.itemKind === FieldKind.Number || f.itemKind === FieldKind.Integer ? items.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s)) : items;
    } else {
      values[f.name] = raw;
    }
  }
  return values;
}
