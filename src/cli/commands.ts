/** Further commands register themselves here (one import each). */
import './export.ts';
import './run.ts';
import './diff.ts';
import './modules-command.ts';
