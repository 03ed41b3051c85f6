/**
 * The module being dragged from the palette. While dragging, a page can read only the types of the drag's
 * data, not the data; the canvas reads the module's name here to say what a drop would do.
 */
export const MODULE_MIME = 'application/x-yolo-module';

let dragged: string | null = null;

export const setDraggedModule = (name: string | null) => {
  dragged = name;
};
export const draggedModule = () => dragged;
