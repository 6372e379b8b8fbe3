// onnxruntime sessions on a thread of their own (see ort-pool.ts). Plain JavaScript: a worker
// must start without the TypeScript loader its parent may have had.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

const sessions = new Map();
let loading;
try {
  for (const m of workerData.models) {
    loading = m.name;
    sessions.set(m.name, await ort.InferenceSession.create(m.model, m.options));
    // The session has its own copy of the weights: let this one be collected.
    m.model = null;
  }
} catch (e) {
  for (const s of sessions.values()) await s.release();
  // "<model>: <why>", so that the parent can name the file.
  parentPort.postMessage({ failed: `${loading}: ${e instanceof Error ? e.message : String(e)}` });
  sessions.clear();
}
if (sessions.size === workerData.models.length) {
  parentPort.postMessage({ ready: true });
  parentPort.on('message', async ({ id, model, data, dims, end }) => {
    if (end) {
      // Asked to stop: finish the sessions' profiles (when profiling) and let them go.
      for (const s of sessions.values()) {
        if (workerData.profiling) s.endProfiling();
        await s.release();
      }
      sessions.clear();
      parentPort.postMessage({ ended: true });
      return;
    }
    try {
      const session = sessions.get(model);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, dims) });
      const outputs = {};
      const transfer = [];
      for (const name of session.outputNames) {
        const t = out[name];
        // A copy: the output tensor's memory belongs to onnxruntime.
        const copy = t.data.slice();
        outputs[name] = { data: copy, dims: t.dims };
        transfer.push(copy.buffer);
        t.dispose();
      }
      parentPort.postMessage({ id, outputs }, transfer);
    } catch (e) {
      parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
