/** An edge drawn along its orthogonal route (use-model-edges.ts computes it around the nodes). */
import { memo } from 'react';
import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import type { RouteEdgeData } from './use-model-edges.ts';

export const RouteEdge = memo(function RouteEdge({ id, data, markerEnd }: EdgeProps<Edge<RouteEdgeData>>) {
  if (!data) return null;
  return <BaseEdge id={id} path={data.route.path} markerEnd={markerEnd} interactionWidth={14} />;
});
