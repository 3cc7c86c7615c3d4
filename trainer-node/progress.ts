/** Progress lines for long work: stage, item, %, ETA. Redraws in place on a terminal, plain lines otherwise. */
export interface Progress {
  stage(name: string, total: number, item?: string): void;
  advance(by?: number, item?: string): void;
  done(message?: string): void;
  log(message: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = true): Progress {
  const tty = !!stream.isTTY;
  let name = '';
  let total = 0;
  let current = 0;
  let item = '';
  let started = 0;
  let lastPrinted = -1;
  const render = () => {
    if (!enabled) return;
    const pct = total ? Math.floor((current / total) * 100) : 100;
    const elapsed = (performance.now() - started) / 1000;
    const eta = current > 0 && current < total ? ` ETA ${Math.ceil((elapsed / current) * (total - current))}s` : '';
    const line = `[${name}]${item ? ` ${item}` : ''} ${pct}%${eta}`;
    if (tty) stream.write(`\r\x1b[2K${line}`);
    else if (pct >= lastPrinted + 25 || pct === 100) {
      stream.write(`${line}\n`);
      lastPrinted = pct;
    }
  };
  return {
    stage(n, t, i = '') {
      name = n;
      total = t;
      current = 0;
      item = i;
      started = performance.now();
      lastPrinted = -1;
      render();
    },
    advance(by = 1, i) {
      current = Math.min(total, current + by);
      if (i !== undefined) item = i;
      render();
    },
    done(message) {
      if (enabled && tty) stream.write('\r\x1b[2K');
      if (enabled && message) stream.write(`${message}\n`);
    },
    log(message) {
      if (!enabled) return;
      if (tty) stream.write('\r\x1b[2K');
      stream.write(`${message}\n`);
    },
  };
}
