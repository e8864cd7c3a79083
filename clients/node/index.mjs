import cjs from './index.js'

export const { createClient, CloudSDKError, camelize, camelKey, DEFAULT_TIMEOUT_MS, TOKEN_ERRCODES } = cjs
export default cjs
