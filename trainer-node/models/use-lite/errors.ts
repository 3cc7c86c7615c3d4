/** Why a USE-Lite conversion stopped. Each code names one thing the user can check or fix. */
export type UseLiteErrorCode =
  | 'package_not_found'
  | 'package_version'
  | 'file_missing'
  | 'file_checksum'
  | 'weight_missing';

/** Thrown by the converter; `message` says what is wrong and what to do about it. */
export class UseLiteConversionError extends Error {
  readonly code: UseLiteErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: UseLiteErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'UseLiteConversionError';
    this.code = code;
    this.details = details;
  }
}
