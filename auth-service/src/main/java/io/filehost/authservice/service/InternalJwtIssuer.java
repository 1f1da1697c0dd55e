package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.filehost.authservice.entity.Account;
import io.filehost.authservice.entity.AccountPackage;
import io.filehost.common.internal.InternalClaims;
import io.filehost.common.internal.PackageLimits;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.HashUtil;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs the internal JWTs (RS256) and publishes the matching public key as a JWK set. The private key comes from
 * {@code smallrye.jwt.sign.key.location}, the public key from {@code mp.jwt.verify.publickey.location} (the same one
 * this service verifies its own JWTs with). Both are loaded once at startup, and checked to be one pair: a mismatch
 * would otherwise surface as every request of every service failing with 401.
 */
@Startup
@ApplicationScoped
public class InternalJwtIssuer {
    public record SignedJwt(String token, long expiresAtEpochSeconds) {
    }

    @Inject
    AuthConfig config;

    @ConfigProperty(name = "smallrye.jwt.sign.key.location")
    Optional<String> signKeyLocation;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> verifyKeyLocation;

    private PrivateKey privateKey;
    private PublicKey publicKey;
    private String keyId;
    private Map<String, Object> jwks;

    @PostConstruct
    void loadKeys() {
        String privateLocation = signKeyLocation.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "smallrye.jwt.sign.key.location (env SMALLRYE_JWT_SIGN_KEY_LOCATION) must name the PEM private key "
                        + "that signs internal JWTs"));
        String publicLocation = verifyKeyLocation.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "mp.jwt.verify.publickey.location (env MP_JWT_VERIFY_PUBLICKEY_LOCATION) must name the PEM public key "
                        + "matching smallrye.jwt.sign.key.location"));
        try {
            // ResourceUtils resolves file paths, file:, classpath: and http(s) locations the way smallrye-jwt does
            // for its own keys (KeyUtils.readPrivateKey would look on the classpath only).
            privateKey = KeyUtils.decodePrivateKey(read(privateLocation), SignatureAlgorithm.RS256);
            publicKey = KeyUtils.decodePublicKey(read(publicLocation), SignatureAlgorithm.RS256);
            if (!(publicKey instanceof RSAPublicKey rsaPublicKey)) {
                throw new IllegalStateException("the internal JWT key must be an RSA key");
            }
            checkPair(privateKey, publicKey);
            RsaJsonWebKey jwk = new RsaJsonWebKey(rsaPublicKey);
            // RFC 7638 thumbprint: the same key gets the same kid on every replica, a new key a new kid.
            keyId = jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
            Map<String, Object> params = jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("kty", "RSA");
            key.put("use", "sig");
            key.put("alg", "RS256");
            key.put("kid", keyId);
            key.put("n", params.get("n"));
            key.put("e", params.get("e"));
            jwks = Map.of("keys", List.of(key));
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the internal JWT keys", e);
        }
    }

    private static String read(String location) throws java.io.IOException {
        String content = ResourceUtils.readResource(location);
        if (content == null) {
            throw new IllegalStateException("no key found at " + location);
        }
        return content;
    }

    private static void checkPair(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "filehost-key-pair-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("smallrye.jwt.sign.key.location and mp.jwt.verify.publickey.location "
                    + "are not one key pair");
        }
    }

    SignedJwt sign(Account account, String tokenHash, Instant now) {
        long expiresAt = now.plus(config.jwt().lifetime()).getEpochSecond();
        String token = Jwt.issuer(InternalClaims.ISSUER)
                .audience(InternalClaims.AUDIENCE)
                .subject(Long.toString(account.id))
                .claim(InternalClaims.TENANT_ID, Long.toString(account.tenant.id))
                .claim(InternalClaims.USERNAME, account.username)
                .claim(InternalClaims.TOKEN_HASH, tokenHash)
                .claim(InternalClaims.PACKAGE, limitsOf(account).toClaim())
                .issuedAt(now.getEpochSecond())
                .expiresAt(expiresAt)
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(keyId)
                .sign(privateKey);
        return new SignedJwt(token, expiresAt);
    }

    /**
     * The claims of an internal JWT signed by this service's key (RS256, our issuer and audience) whose {@code iat} is
     * at most {@code maxAge} ago, whether or not it has expired (the token exchange's subject); empty otherwise.
     */
    Optional<JwtClaims> verifyIgnoringExpiry(String token, Duration maxAge, Instant now) {
        if (token == null || token.isBlank() || token.length() > 16 * 1024) {
            return Optional.empty();
        }
        try {
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey(publicKey)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setExpectedIssuer(InternalClaims.ISSUER)
                    .setExpectedAudience(InternalClaims.AUDIENCE)
                    .setRequireSubject()
                    .setRequireIssuedAt()
                    .setRequireExpirationTime()
                    // Expiry is what the exchange exists for; the age is bounded by iat below instead.
                    .setAllowedClockSkewInSeconds((int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds() + 60))
                    .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                    .build()
                    .processToClaims(token);
            long issuedAt = claims.getIssuedAt().getValue();
            if (issuedAt < now.minus(maxAge).getEpochSecond() || issuedAt > now.getEpochSecond() + 60) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    static PackageLimits limitsOf(Account account) {
        AccountPackage p = account.accountPackage;
        return new PackageLimits(p.id, p.canUpload, p.maxUploadSize, p.maxStorageBytes, account.storageLimitOverride,
                p.concurrentUploads, p.downloadSpeed, p.concurrentDownloads, p.waitBetweenDownloads,
                p.downloadsPer24Hours, p.downloadSizePer24Hours, p.maxDownloadFilesizeAllowed,
                p.maxRemoteDownloadUrls);
    }

    /** {@code {"keys":[{"kty","use","alg","kid","n","e"}]}}. */
    public Map<String, Object> jwks() {
        return jwks;
    }

    public String keyId() {
        return keyId;
    }
}
