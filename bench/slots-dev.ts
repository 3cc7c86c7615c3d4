/**
 * npx tsx bench/slots-dev.ts — tuning aid for the slot tagger, on held-out TRAIN rows (never test):
 * precision/recall per slot and what went wrong (missed, wrong boundary, wrong slot, spurious).
 * SLOT_VARIANTS / SLOT_EPOCHS as in bench/slots.ts; SLOT_L2: the L2 strength; SLOT_TRUSTED: the lower per-field
 * threshold (slot-thresholds.ts); SLOT_DUMP=file: every tagged value with its confidence, for threshold studies.
 */
import { cpus } from 'node:os';
import { TaggedExtractor } from '../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../src/params/slots/tagger.ts';
import { trainSlotTagger } from '../trainer-node/train/slot-train.ts';
import { norm, read, snipsSplit } from './slots.ts';

const { commands, heldOut } = snipsSplit(read('train'));
const env = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const file = trainSlotTagger(commands, { seed: 42, variants: env('SLOT_VARIANTS'), epochs: env('SLOT_EPOCHS'), l2: env('SLOT_L2'), thresholds: { trusted: env('SLOT_TRUSTED') } })!;
const trainSeconds = (performance.now() - t0) / 1000;
const trainCpu = process.cpuUsage(cpu0);
const extractor = new TaggedExtractor(new SlotTagger(file), { threshold: 0 });
const byName = new Map(commands.map((c) => [c.command, c]));
type Stat = { gold: number; pred: number; tp: number; missed: number; boundary: number; spurious: number };
const stats = new Map<string, Stat>();
const stat = (s: string) => stats.get(s) ?? stats.set(s, { gold: 0, pred: 0, tp: 0, missed: 0, boundary: 0, spurious: 0 }).get(s)!;
const thresholds = [0, 0.5, 0.7, 0.8, 0.9];
const sweep = thresholds.map(() => ({ tp: 0, pred: 0, gold: 0 }));
const examples: string[] = [];
const preds: { field: string; confidence: number; right: boolean }[] = [];
const started = performance.now();
for (const row of heldOut) {
  const cmd = byName.get(row.intent)!;
  const d = extractor.explain({ text: row.text, command: row.intent, fields: cmd.fields, utterances: cmd.utterances });
  const all = { ...d.uncertain, ...d.evidence };
  const want = new Map<string, string>();
  for (const s of row.spans) want.set(s.slot, norm(s.value));
  thresholds.forEach((th, i) => {
    sweep[i].gold += row.spans.length;
    for (const [k, v] of Object.entries(all)) {
      if (v.confidence < th || norm(v.value) === '') continue;
      sweep[i].pred++;
      if (want.get(k) === norm(v.value)) sweep[i].tp++;
    }
  });
  for (const s of row.spans) {
    const st = stat(s.slot);
    st.gold++;
    const got = all[s.slot];
    const focus = process.env.SLOT_FOCUS?.split(',').includes(s.slot);
    if (focus && (!got || norm(got.value) !== norm(s.value))) examples.push(`${row.intent} | ${row.text} | ${s.slot}: want "${s.value}" got ${JSON.stringify(got?.value)} | all ${JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, `${v.value} ${v.confidence.toFixed(2)}`])))}`);
    if (!got) st.missed++;
    else if (norm(got.value) !== norm(s.value)) {
      st.boundary++;
      if (!process.env.SLOT_FOCUS && examples.length < Number(process.env.SLOT_SHOW ?? 40)) examples.push(`${row.intent} | ${row.text} | ${s.slot}: want "${s.value}" got "${got.value}" (${got.confidence.toFixed(2)})`);
    }
  }
  for (const [k, v] of Object.entries(all)) {
    if (v.source === 'tagger') preds.push({ field: k, confidence: v.confidence, right: want.get(k) === norm(v.value) });
    const st = stat(k);
    st.pred++;
    if (want.get(k) === norm(v.value)) st.tp++;
    else if (!want.has(k)) st.spurious++;
  }
}
const ms = (performance.now() - started) / heldOut.length;
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}` : '-');
console.table(
  Object.fromEntries(
    [...stats].sort((a, b) => b[1].gold - a[1].gold).map(([k, s]) => [k, { gold: s.gold, P: pct(s.tp, s.pred), R: pct(s.tp, s.gold), missed: s.missed, boundary: s.boundary, spurious: s.spurious }]),
  ),
);
console.log(examples.join('\n'));
console.table(sweep.map((s, i) => ({ threshold: thresholds[i], P: pct(s.tp, s.pred), R: pct(s.tp, s.gold), F1: ((200 * s.tp) / (s.pred + s.gold)).toFixed(1) })));
console.log(`CPU ${cpus()[0]?.model}; train ${trainSeconds.toFixed(1)} s (${((trainCpu.user + trainCpu.system) / 1e6).toFixed(1)} CPU s); ${ms.toFixed(3)} ms/utterance; ${heldOut.length} held-out train rows`);

// Upper bound of per-field thresholds (chosen on these same rows): each field's threshold maximises tp - lambda·fp.
const goldAll = sweep[0].gold;
{
  const kept = preds.filter((p) => p.confidence >= (file.thresholds[p.field] ?? file.threshold));
  const tp = sweep[0].tp - preds.filter((p) => p.right).length + kept.filter((p) => p.right).length;
  const pred = sweep[0].pred - preds.length + kept.length;
  console.log(`model's thresholds ${JSON.stringify(file.thresholds)}\nwith them: P ${pct(tp, pred)} R ${pct(tp, goldAll)} F1 ${((200 * tp) / (pred + goldAll)).toFixed(1)}`);
}
const detTp = sweep[0].tp - preds.filter((p) => p.right).length;
const detPred = sweep[0].pred - preds.length;
if (process.env.SLOT_DUMP) (await import('node:fs')).writeFileSync(process.env.SLOT_DUMP, JSON.stringify({ goldAll, detTp, detPred, preds }));
for (const lambda of [1, 1.5, 2, 3, 4]) {
  let tp = detTp;
  let pred = detPred;
  for (const field of new Set(preds.map((p) => p.field))) {
    const ps = preds.filter((p) => p.field === field).sort((a, b) => b.confidence - a.confidence);
    let best = 0, bestK = 0, gain = 0;
    ps.forEach((p, i) => { gain += p.right ? 1 : -lambda; if (gain > best) { best = gain; bestK = i + 1; } });
    tp += ps.slice(0, bestK).filter((p) => p.right).length;
    pred += bestK;
  }
  console.log(`oracle per-field thresholds, lambda ${lambda}: P ${pct(tp, pred)} R ${pct(tp, goldAll)} F1 ${((200 * tp) / (pred + goldAll)).toFixed(1)}`);
}
