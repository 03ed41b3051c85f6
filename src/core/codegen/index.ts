/** PyTorch from module descriptions, and "Export for YOLOv5" (model YAML, patches, module library). */
export { CodegenError } from './pyprint.ts';
export { generateClass, type GeneratedClass } from './pytorch.ts';
export { YOLOV5_TARGETS, MODULES_FILE, yolov5Patch, type ModuleRegistration, type Yolov5Target } from './patch.ts';
export {
  exportForYolov5,
  libraryText,
  modulesFile,
  riskyStrings,
  type ExportFile,
  type Yolov5Export,
  type Yolov5ExportOptions,
} from './export.ts';
export {
  classifyExport,
  isModulesFile,
  mergeModulesLibrary,
  planExport,
  type ExistingExportFile,
  type ExportFileState,
  type PlannedExportFile,
} from './overwrite.ts';
