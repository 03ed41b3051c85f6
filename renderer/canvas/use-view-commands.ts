/** The canvas carries out the view commands (View > Fit, Zoom In, Zoom Out and their keys) while it is on screen. */
import { useReactFlow } from '@xyflow/react';
import { useProvideCommands } from '../chrome/command-targets.ts';

export function useViewCommands() {
  const { fitView, zoomIn, zoomOut } = useReactFlow();
  useProvideCommands({
    fitView: () => void fitView({ padding: 0.06, duration: 200 }),
    zoomIn: () => void zoomIn({ duration: 150 }),
    zoomOut: () => void zoomOut({ duration: 150 }),
  });
}
