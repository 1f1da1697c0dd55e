package io.filehost.authservice.service;

/** An access token just issued by /authorize. The only place the token exists in clear. */
public record IssuedToken(String accessToken, long accountId) {
}
