// Type declarations for idcard-ocr-client (hand-written; keep in step with lib/).

/** The image sent as multipart field `img`, as cloud.openapi.ocr.idcard takes it. */
export interface IdcardImage {
  /** MIME type, e.g. 'image/jpeg' or 'image/png'. Default 'image/jpeg'. */
  contentType?: string
  /** The encoded image bytes. */
  value: Uint8Array | ArrayBuffer | ArrayBufferView
}

interface IdcardParamsBase {
  /** 'photo' (a photo of the card, the default) or 'scan' (a scanned copy). */
  type?: 'photo' | 'scan'
  /** Ask for per-field confidence and position, card position, image size and checks. */
  detail?: boolean
  /** Add each card's `warnings` ({ code, message }) and `quality` (0-100). */
  warnings?: boolean
  /** Add `cardImage` (the rectified card) and, on fronts, `portraitImage`: base64 JPEG. */
  crop?: 'card' | 'portrait' | 'card,portrait' | Array<'card' | 'portrait'>
  /** Add `cards` (every card's answer) when the image holds more than one card. */
  cards?: boolean
  /** Aborts the call (on top of the client's timeout). */
  signal?: AbortSignal
}

/** Either img (image bytes) or imgUrl (an address the service downloads) is required; img wins when both are given. */
export type IdcardParams =
  | (IdcardParamsBase & { img: IdcardImage; imgUrl?: string })
  | (IdcardParamsBase & { imgUrl: string; img?: undefined })

export interface Point {
  x: number
  y: number
}

/** A quadrilateral, corners clockwise from the top left. */
export interface Quad {
  leftTop: Point
  rightTop: Point
  rightBottom: Point
  leftBottom: Point
}

export interface FieldDetail {
  text: string
  confidence: number
  pos: Quad
}

export interface IdcardChecks {
  /** Front only: 18 characters, 17 digits then a digit or X. */
  idFormatOk?: boolean
  /** Front only: ISO 7064 MOD 11-2 checksum holds. */
  idChecksumOk?: boolean
  /** Front only: the top reading failed the checksum and a next-best reading passed. */
  idCorrected?: boolean
  birthMatchesId?: boolean
  genderMatchesId?: boolean
  /** Back only: the validity span is plausible. */
  validSpanOk?: boolean
}

/** Extra keys present when the call was made with detail: true. */
export interface IdcardDetail {
  fields: {
    name?: FieldDetail
    id?: FieldDetail
    addr?: FieldDetail
    gender?: FieldDetail
    nationality?: FieldDetail
    birth?: FieldDetail
    validDate?: FieldDetail
    authority?: FieldDetail
    [key: string]: FieldDetail | undefined
  }
  /** Which sides the image shows. */
  sides: Array<'Front' | 'Back'>
  cardPos?: Quad
  /** When one image shows both sides: where the back is. */
  backCardPos?: Quad
  imgSize: { w: number; h: number }
  checks: IdcardChecks
}

export type WarningCode =
  | 'border_incomplete' | 'occluded' | 'glare' | 'blurred' | 'too_small' | 'too_dark' | 'overexposed'
  | 'copy' | 'reshoot' | 'edited' | 'expired' | 'invalid_date' | 'number_mismatch' | 'temporary'

export interface IdcardWarning {
  code: WarningCode
  /** Short zh-CN text for an end user. */
  message: string
}

/** Keys present only when asked for (warnings, crop, cards). */
export interface IdcardReport {
  warnings?: IdcardWarning[]
  /** 0-100: how fit the picture is to read (sharpness, size, light, glare, cover, border). */
  quality?: number
  /** base64 JPEG of the card, upright, 85.6:54. */
  cardImage?: string
  /** base64 JPEG of a front's portrait. */
  portraitImage?: string
  /** Every card's answer when the image holds more than one (the top level is the first's). */
  cards?: Array<Omit<IdcardFrontResult, 'errCode' | 'errMsg'> | Omit<IdcardBackResult, 'errCode' | 'errMsg'>>
}

interface IdcardResultBase extends IdcardReport {
  errCode: 0
  errMsg: 'openapi.ocr.idcard:ok'
}

export interface IdcardFrontResult extends IdcardResultBase {
  type: 'Front'
  name: string
  id: string
  addr: string
  gender: string
  nationality: string
  /** Extra (not in the cloud SDK answer): date of birth, YYYYMMDD. */
  birth?: string
  /** Present when the same image also shows the back. */
  validDate?: string
  authority?: string
}

export interface IdcardBackResult extends IdcardResultBase {
  type: 'Back'
  /** e.g. '20150619-20350619' or '20100301-长期'. */
  validDate: string
  /** Issuing authority. */
  authority?: string
}

export type IdcardResult = IdcardFrontResult | IdcardBackResult
export type IdcardDetailResult = (IdcardFrontResult & IdcardDetail) | (IdcardBackResult & IdcardDetail)

export interface ClientOptions {
  /** Where the service listens, e.g. 'http://ocr.internal:8080'. A path prefix is kept. */
  baseURL: string
  appid: string
  secret: string
  /** Per-request timeout in ms (token fetch and OCR call each). Default 15000. */
  timeout?: number
  /** fetch implementation; default globalThis.fetch. */
  fetch?: typeof globalThis.fetch
  /** Refresh the token this many ms before it expires. Default: 10% of expires_in, at most 5 minutes. */
  tokenRefreshMargin?: number
}

export interface Client {
  openapi: {
    ocr: {
      idcard(params: IdcardParams & { detail: true }): Promise<IdcardDetailResult>
      idcard(params: IdcardParams): Promise<IdcardResult>
    }
  }
  /** The cached access token, fetched or refreshed first when needed. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>
  /** Forgets the cached access token; the next call fetches a new one. */
  clearAccessToken(): void
}

export declare function createClient(options: ClientOptions): Client

/** Thrown when the service answers a non-zero errcode, or (errCode -1) when no answer came back. */
export declare class CloudSDKError extends Error {
  constructor(errCode: number, errMsg: string, options?: { cause?: unknown })
  name: 'CloudSDKError'
  /** The service's errcode, e.g. 101002; -1 for network errors, timeouts and non-JSON answers. */
  errCode: number
  /** 'openapi.ocr.idcard:fail <errcode> <service errmsg>' */
  errMsg: string
}

/** Deep copy with every object key camelCased (valid_date -> validDate). */
export declare function camelize<T = unknown>(value: unknown): T
/** One key: snake_case -> camelCase. */
export declare function camelKey(key: string): string

export declare const DEFAULT_TIMEOUT_MS: 15000
/** errcodes after which a fresh token is fetched and the call retried once: 40001, 40014, 42001. */
export declare const TOKEN_ERRCODES: ReadonlySet<number>
