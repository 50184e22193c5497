'use strict';

// The native addon (see load-addon.js for where it comes from).
module.exports = require('./load-addon').loadAddon();
