// Types of the ES module entry: the same names as the CommonJS entry, plus the default export.
import * as jwt from './index.js';

export * from './index.js';
export default jwt;
