package io.filehost.gateway.multipart;

/** More bytes arrived before the credentials than the gateway is willing to hold. */
public class SpoolLimitExceededException extends RuntimeException {
    public SpoolLimitExceededException(long limit) {
        super("more than " + limit + " bytes before the credentials", null, false, false);
    }
}
