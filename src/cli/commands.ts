/** Further commands register themselves here (one import each). */
export {};
