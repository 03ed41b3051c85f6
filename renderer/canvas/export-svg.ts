/** The model graph as a standalone SVG (for papers), and as PNG through a canvas. */
import { shapeText, thousands, type ModelAnalysis } from '../../src/core/index.ts';
import type { XY } from '../store/editor.ts';
import { categoryColor } from '../../src/core/index.ts';
import { INPUT_ID, modelEdges, nodeId, sectionFrames, shortArgs } from './model-graph.ts';
import { inputLabel, layoutByScale, nodeDataOf, type LayoutMode } from './arrange.ts';
import { inputSize, nodeSize, nodeText } from './node-size.ts';
import { routeEdges, type Rect } from './routing.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const MONO = 'Menlo, Consolas, monospace';

/**
 * The model graph as drawn on the canvas: the same places, node sizes (from their text) and orthogonal
 * routes, section frames and scale column titles, in plain SVG.
 */
export function graphSvg(
  a: ModelAnalysis,
  positions: Record<number, XY>,
  labels: { backbone: string; head: string; image: string } = { backbone: 'backbone', head: 'head', image: 'image' },
  mode: LayoutMode = 'scale',
): string {
  const placed = a.layers.filter((l) => positions[l.i]);
  if (!placed.length) return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
  const data = nodeDataOf(a);
  const size = (i: number) => nodeSize(nodeText(data[i]));
  const shape = inputLabel(a);
  const inSize = inputSize(labels.image, shape);
  const first = positions[0] ?? positions[placed[0].i];
  const ideal = mode === 'scale' ? layoutByScale(a) : null;
  const inAt = ideal
    ? ideal.input
    : { x: first.x + (size(0).width - inSize.width) / 2, y: first.y - inSize.height - 40 };
  const rects = new Map<string, Rect>([[INPUT_ID, { ...inAt, ...inSize }]]);
  for (const l of placed) rects.set(nodeId(l.i), { ...positions[l.i], ...size(l.i) });
  const all = [...rects.values()];
  const minX = Math.min(...all.map((r) => r.x)) - 40;
  const minY = Math.min(...all.map((r) => r.y)) - (ideal ? 110 : 60);
  const maxX = Math.max(...all.map((r) => r.x + r.width)) + 40;
  const maxY = Math.max(...all.map((r) => r.y + r.height)) + 40;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" width="${maxX - minX}" height="${maxY - minY}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`,
  );
  for (const f of sectionFrames(a.layers, positions, size)) {
    out.push(
      `<rect x="${f.x}" y="${f.y}" width="${f.width}" height="${f.height}" rx="14" fill="${f.section === 'backbone' ? '#eef2f7' : '#f8efed'}" stroke="#c4ccd6" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${f.x + 12}" y="${f.y + 18}" font-size="12" font-weight="700" fill="#8592a3">${esc(labels[f.section].toUpperCase())}</text>`,
    );
  }
  if (ideal) {
    const top = Math.min(...Object.values(positions).map((p) => p.y), 0) - 86;
    for (const c of ideal.columns) {
      if (!c.label) continue;
      out.push(
        `<text x="${c.x + c.width / 2}" y="${top + 16}" font-size="15" font-weight="700" fill="#8592a3" text-anchor="middle">${esc(c.label)}</text>`,
        `<line x1="${c.x}" y1="${top + 24}" x2="${c.x + c.width}" y2="${top + 24}" stroke="#d5dbe3" stroke-width="2"/>`,
      );
    }
  }
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a96a8"/></marker></defs>',
  );
  const edges = modelEdges(a);
  const routes = routeEdges(rects, edges);
  for (const e of edges) {
    const r = routes.get(e.id);
    if (!r) continue;
    out.push(
      `<path d="${r.path}" fill="none" stroke="${e.implicit ? '#a8b3c2' : '#6e7fa0'}" stroke-width="1.5"${e.implicit ? '' : ' stroke-dasharray="5 3"'} marker-end="url(#arrow)"/>`,
    );
  }
  out.push(
    `<rect x="${inAt.x}" y="${inAt.y}" width="${inSize.width}" height="${inSize.height}" rx="8" fill="#334155"/>`,
  );
  out.push(
    `<text x="${inAt.x + 12}" y="${inAt.y + 23}" font-size="15" fill="#fff"><tspan font-weight="700">${esc(labels.image)}</tspan> <tspan font-family="${MONO}">${esc(shape)}</tspan></text>`,
  );
  for (const l of placed) {
    const { x, y } = positions[l.i];
    const { width: w, height: h } = size(l.i);
    const c = categoryColor(l.def?.category);
    out.push(`<g id="${nodeId(l.i)}">`);
    out.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="#fff" stroke="${l.ok ? '#dfe3e8' : '#d33a2f'}"/>`,
    );
    out.push(`<rect x="${x}" y="${y}" width="5" height="${h}" rx="2" fill="${c}"/>`);
    out.push(
      `<text x="${x + 18}" y="${y + 24}" font-size="15"><tspan fill="#6b7685">${l.i}</tspan> <tspan font-size="16" font-weight="700" fill="${c}">${esc(l.module)}</tspan>${l.n > 1 ? `<tspan fill="#6b7685"> ×${l.n}</tspan>` : ''}</text>`,
    );
    out.push(
      `<text x="${x + w - 11}" y="${y + 24}" font-size="15" fill="#6b7685" text-anchor="end" font-family="${MONO}">${thousands(l.params)}</text>`,
    );
    out.push(
      `<text x="${x + 18}" y="${y + 45}" font-size="15" font-family="${MONO}"><tspan font-weight="600" fill="#1f2733">${esc(shapeText(l.shape))}</tspan>  <tspan fill="#6b7685">${esc(shortArgs(l))}</tspan></text>`,
    );
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Rasterise an SVG (2x) to a PNG blob. */
export function svgToPng(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG could not be drawn'));
    img.src = url;
  });
}
