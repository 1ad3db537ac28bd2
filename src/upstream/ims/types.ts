/** IMS token endpoint (`POST /ims/token/v3`, client-credentials grant) wire types. */

export interface TokenResponseDto {
  access_token: string;
  token_type: 'bearer';
  /** Lifetime in seconds. */
  expires_in: number;
}

export interface TokenErrorDto {
  error: string;
  error_description: string;
}
