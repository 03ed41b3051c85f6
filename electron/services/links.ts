/**
 * The only pages the app opens in the system browser. A fixed list, each opened with a literal URL, so no
 * page content can make the app open an arbitrary address (and electronegativity can see that).
 */
export const EXTERNAL_LINKS = [
  'https://github.com/ultralytics/yolov5',
  'https://docs.ultralytics.com/yolov5/',
  'https://arxiv.org/abs/1904.01169',
] as const;

export function openExternalLink(url: string, shell: { openExternal(url: string): Promise<void> }): boolean {
  switch (url) {
    case 'https://github.com/ultralytics/yolov5':
      void shell.openExternal('https://github.com/ultralytics/yolov5');
      return true;
    case 'https://docs.ultralytics.com/yolov5/':
      void shell.openExternal('https://docs.ultralytics.com/yolov5/');
      return true;
    case 'https://arxiv.org/abs/1904.01169':
      void shell.openExternal('https://arxiv.org/abs/1904.01169');
      return true;
    default:
      return false;
  }
}
