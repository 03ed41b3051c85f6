/** The read worker: answers read.ts's requests off the page's thread (one at a time, in order). */
import { answer, type ReadRequest } from './read.ts';

self.onmessage = (ev: MessageEvent<ReadRequest>) => {
  const { response, transfer } = answer(ev.data);
  (self as unknown as Worker).postMessage(response, transfer);
};
