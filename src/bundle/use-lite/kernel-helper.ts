/**
 * A second thread for the encoder's kernel, where the page is cross-origin isolated: the kernel's
 * memory is a shared WebAssembly.Memory, and each large dense layer is split by output strips between
 * the calling thread and a helper thread running the same module on the same memory. Every output is
 * computed the same way whichever thread computes it, so the vectors are those of one thread.
 *
 * Protocol: a SharedArrayBuffer of CONTROL.size int32s. The caller writes the matmul arguments at
 * CONTROL.args, then a new job number at CONTROL.job (Atomics.store + notify); the helper computes
 * its strips and stores the job number at CONTROL.done (+ notify). A negative job number stops it.
 * CONTROL.weights (set before the helper starts) says which function computes: int16 or float32 weights.
 */

export const CONTROL = { job: 0, args: 1, done: 11, weights: 12, size: 16 } as const;

/** CONTROL.weights: how the kernel stores its weights (which of the module's functions computes). */
export const WEIGHT_FORMATS = { int16: 0, float32: 1 } as const;

/**
 * Checks of the control block before either side blocks in Atomics.wait (~1 ms on a 2-core AMD EPYC):
 * the jobs of one text follow each other within tens to hundreds of microseconds (attention and
 * LayerNorm run between them), and waking a blocked thread takes about as long. Measured in Chromium
 * (intent p50, cross-origin isolated): 20,000 checks saved ~20% over one thread, 200,000 ~45%. The
 * price: after a text's last job the helper spins that long before it sleeps.
 */
export const SPINS = 200000;

/** What a helper thread receives once: the compiled kernel, the shared memory and the control block. */
export interface KernelHelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}

/**
 * Starts a helper thread (platform-specific: a Worker in the browser) and resolves once it waits for
 * jobs; rejects when none can be started. The kernel computes alone until then, and for good if so.
 */
export type KernelHelperSpawner = (init: KernelHelperInit) => Promise<void>;

/**
 * The helper's code, plain JavaScript without imports (it runs from a Blob URL): a function
 * `fwKernelHelper(init, ready)` that instantiates the kernel, calls `ready()`, then serves jobs until
 * told to stop. A platform adds the line that calls it with the first message it receives.
 */
export const HELPER_CORE = `
function fwKernelHelper(init, ready) {
  const kernel = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;
  const c = new Int32Array(init.control);
  const matmul = c[${CONTROL.weights}] === ${WEIGHT_FORMATS.float32} ? kernel.matmul_f32 : kernel.matmul;
  // The job counter is read before "ready": a job posted right after it is a change, not the start value.
  let seen = Atomics.load(c, ${CONTROL.job});
  ready();
  for (;;) {
    for (let i = 0; i < ${SPINS} && Atomics.load(c, ${CONTROL.job}) === seen; i++);
    Atomics.wait(c, ${CONTROL.job}, seen);
    seen = Atomics.load(c, ${CONTROL.job});
    if (seen < 0) return;
    const a = ${CONTROL.args};
    matmul(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9]);
    Atomics.store(c, ${CONTROL.done}, seen);
    Atomics.notify(c, ${CONTROL.done});
  }
}
`;

/** The whole script of a browser helper Worker. */
export const BROWSER_HELPER_SCRIPT = `${HELPER_CORE}
self.onmessage = (e) => fwKernelHelper(e.data, () => self.postMessage('ready'));
`;

/** Whether this thread can share the kernel's memory with a helper and wait for it (a cross-origin isolated Worker, or Node). */
export function canShareKernel(): boolean {
  try {
    if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') return false;
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}
