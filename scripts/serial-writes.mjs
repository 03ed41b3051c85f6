// Preloaded into electronegativity (scripts/security.mjs with --import): its CSV writer starts the header's fs.writeFile and
// the rows' append without waiting for either, so the header can land on top of the first rows. Queue every
// fs.writeFile behind the one before it, in the order they were called.
import fs from 'node:fs';
const write = fs.writeFile;
let last = Promise.resolve();
fs.writeFile = (file, data, options, callback) => {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' ? undefined : options;
  last = last.then(
    () =>
      new Promise((resolve) =>
        write(file, data, opts ?? {}, (err) => {
          resolve();
          cb?.(err);
        }),
      ),
  );
};
