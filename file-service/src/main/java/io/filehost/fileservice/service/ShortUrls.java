package io.filehost.fileservice.service;

import java.math.BigInteger;

/** Upstream's short URL: base 62 ({@code 0-9a-zA-Z}) of the decimal string "1" + id (1253 → "2Vv"). */
public final class ShortUrls {
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private ShortUrls() {
    }

    public static String encode(long id) {
        BigInteger value = new BigInteger("1" + id);
        StringBuilder out = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        return out.reverse().toString();
    }

    /** The file id a short URL stands for, or {@code null} for anything that is not one. */
    public static Long decode(String shortUrl) {
        if (shortUrl == null || shortUrl.isEmpty() || shortUrl.length() > 12) {
            return null;
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < shortUrl.length(); i++) {
            int digit = ALPHABET.indexOf(shortUrl.charAt(i));
            if (digit < 0) {
                return null;
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        String decimal = value.toString();
        if (decimal.length() < 2 || decimal.charAt(0) != '1' || decimal.charAt(1) == '0' || decimal.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(decimal.substring(1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
