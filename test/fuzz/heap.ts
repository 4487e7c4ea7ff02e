// Heap figures for the bomb tests and `npm run fuzz`: a full GC, then V8's used heap (bytes).
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Used heap in bytes after a full garbage collection. */
export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** MiB, one decimal, for printing. */
export const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);
