/** PyTorch from module descriptions, and "Export for YOLOv5" / "for Ultralytics" (model YAML, patches, module library). */
export { CodegenError } from './pyprint.ts';
export { generateClass, type GeneratedClass } from './pytorch.ts';
export { YOLOV5_TARGETS, MODULES_FILE, yolov5Patch, type ModuleRegistration, type Yolov5Target } from './patch.ts';
export {
  exportForUltralytics,
  exportForYolov5,
  libraryText,
  modulesFile,
  riskyStrings,
  type ExportFile,
  type UltralyticsExport,
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
export { ULTRALYTICS_MODULES_FILE, ULTRALYTICS_RELEASE, ultralyticsPatch } from './ultralytics-patch.ts';
