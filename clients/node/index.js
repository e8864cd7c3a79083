'use strict'

const { createClient, DEFAULT_TIMEOUT_MS } = require('./lib/client')
const { CloudSDKError, TOKEN_ERRCODES } = require('./lib/errors')
const { camelize, camelKey } = require('./lib/camel')

module.exports = { createClient, CloudSDKError, camelize, camelKey, DEFAULT_TIMEOUT_MS, TOKEN_ERRCODES }
