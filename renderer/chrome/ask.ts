/**
 * Questions the app asks in its own dialogs (not the browser's prompt()): for now the file name of a
 * download-based Save as. A request is answered once; a new one answers the pending one with null.
 */
import { create } from 'zustand';

export interface FileNameRequest {
  suggested: string;
  answer(name: string | null): void;
}

export const useAsk = create<{ fileName: FileNameRequest | null }>(() => ({ fileName: null }));

/** A YAML file name from what the user typed: no folders, `.yaml` added when it has no YAML extension. */
export function yamlFileName(typed: string): string | null {
  const name = typed.trim();
  if (!name || /[\\/:*?"<>|\u0000-\u001f]/.test(name) || name === '.' || name === '..') return null;
  return /\.ya?ml$/i.test(name) ? name : `${name}.yaml`;
}

export function askFileName(suggested: string): Promise<string | null> {
  useAsk.getState().fileName?.answer(null);
  return new Promise((resolve) => {
    const req: FileNameRequest = {
      suggested,
      answer: (name) => {
        if (useAsk.getState().fileName === req) useAsk.setState({ fileName: null });
        resolve(name);
      },
    };
    useAsk.setState({ fileName: req });
  });
}
