package dev.beckon.push.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * P-256 keys as the push protocols use them: read from PEM (PKCS#8 {@code BEGIN PRIVATE KEY},
 * as Apple's {@code .p8} files, or SEC1 {@code BEGIN EC PRIVATE KEY}, as {@code openssl ecparam
 * -genkey} writes), the public half derived from the private key alone, and the uncompressed
 * point encoding (65 bytes: 0x04 || X || Y) of Web Push and VAPID.
 */
public final class EcKeys {

    public static final ECParameterSpec P256 = p256();

    /** AlgorithmIdentifier { id-ecPublicKey, prime256v1 } */
    private static final byte[] P256_ALGORITHM = {
            0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01,
            0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07 };

    private EcKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a P-256 key", e);
        }
    }

    public static ECPrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        boolean sec1 = pem.contains("BEGIN EC PRIVATE KEY");
        if (!sec1 && !pem.contains("BEGIN PRIVATE KEY")) {
            throw new GeneralSecurityException("not a PEM private key (expected '-----BEGIN PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----')");
        }
        String body = pem.replaceAll("-----(BEGIN|END)[^-]*-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the PEM body is not base64", e);
        }
        if (sec1) {
            requireP256Sec1(der);
            der = sec1ToPkcs8(der);
        }
        if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key)) {
            throw new GeneralSecurityException("not an EC private key");
        }
        if (!isP256(key.getParams())) {
            throw new GeneralSecurityException("the EC key is not on the P-256 curve (prime256v1/secp256r1)");
        }
        return key;
    }

    public static String writePrivateKey(ECPrivateKey key) {
        String base64 = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** The public key d·G of a P-256 private key, which a PKCS#8 file need not carry. */
    public static ECPublicKey publicKeyOf(ECPrivateKey key) {
        ECPoint w = multiply(P256.getGenerator(), key.getS());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 0x04 || X || Y, each coordinate 32 bytes big-endian. */
    public static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 0x04;
        System.arraycopy(fixed(key.getW().getAffineX(), 32), 0, out, 1, 32);
        System.arraycopy(fixed(key.getW().getAffineY(), 32), 0, out, 33, 32);
        return out;
    }

    public static ECPublicKey fromUncompressed(byte[] point) throws GeneralSecurityException {
        if (point.length != 65 || point[0] != 0x04) {
            throw new GeneralSecurityException("not an uncompressed P-256 point (65 bytes starting with 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        if (!onCurve(x, y)) {
            throw new GeneralSecurityException("the point is not on the P-256 curve");
        }
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    }

    /** An unsigned big-endian integer in exactly {@code length} bytes. */
    public static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == length) {
            return bytes;
        }
        byte[] out = new byte[length];
        if (bytes.length > length) {
            System.arraycopy(bytes, bytes.length - length, out, 0, length);
        } else {
            System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        }
        return out;
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder());
    }

    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = prime();
        BigInteger left = y.modPow(BigInteger.TWO, p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return x.signum() >= 0 && x.compareTo(p) < 0 && y.signum() >= 0 && y.compareTo(p) < 0 && left.equals(right);
    }

    private static BigInteger prime() {
        return ((ECFieldFp) P256.getCurve().getField()).getP();
    }

    /** Double-and-add in affine coordinates; runs once per key at start-up, so speed does not matter. */
    private static ECPoint multiply(ECPoint point, BigInteger k) {
        ECPoint result = ECPoint.POINT_INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = add(result, result);
            if (k.testBit(i)) {
                result = add(result, point);
            }
        }
        return result;
    }

    private static ECPoint add(ECPoint a, ECPoint b) {
        if (a.equals(ECPoint.POINT_INFINITY)) {
            return b;
        }
        if (b.equals(ECPoint.POINT_INFINITY)) {
            return a;
        }
        BigInteger p = prime();
        BigInteger lambda;
        if (a.getAffineX().equals(b.getAffineX())) {
            if (a.getAffineY().add(b.getAffineY()).mod(p).signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger x = a.getAffineX();
            lambda = x.multiply(x).multiply(BigInteger.valueOf(3)).add(P256.getCurve().getA())
                    .multiply(a.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = b.getAffineY().subtract(a.getAffineY())
                    .multiply(b.getAffineX().subtract(a.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.multiply(lambda).subtract(a.getAffineX()).subtract(b.getAffineX()).mod(p);
        BigInteger y3 = lambda.multiply(a.getAffineX().subtract(x3)).subtract(a.getAffineY()).mod(p);
        return new ECPoint(x3, y3);
    }

    /**
     * ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters OPTIONAL, ... }: a
     * 32-byte key and, when named, the prime256v1 curve; the PKCS#8 wrapper then names P-256 truthfully.
     */
    private static void requireP256Sec1(byte[] der) throws GeneralSecurityException {
        int at = 2;
        if (der.length < 8 || der[0] != 0x30) {
            throw new GeneralSecurityException("not an EC private key (SEC1)");
        }
        if ((der[1] & 0x80) != 0) {
            at += der[1] & 0x7f;
        }
        if (der[at] != 0x02 || der[at + 1] != 0x01 || der[at + 2] != 0x01 || der[at + 3] != 0x04) {
            throw new GeneralSecurityException("not an EC private key (SEC1)");
        }
        int keyLength = der[at + 4];
        if (keyLength != 32) {
            throw new GeneralSecurityException("the EC key is not on the P-256 curve (prime256v1/secp256r1)");
        }
        int parameters = at + 5 + keyLength;
        byte[] p256 = { (byte) 0xa0, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07 };
        if (parameters < der.length && der[parameters] == (byte) 0xa0
                && !Arrays.equals(Arrays.copyOfRange(der, parameters, Math.min(der.length, parameters + p256.length)), p256)) {
            throw new GeneralSecurityException("the EC key is not on the P-256 curve (prime256v1/secp256r1)");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier(P-256), OCTET STRING { ECPrivateKey } } */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
        body.writeBytes(P256_ALGORITHM);
        body.write(0x04);
        writeLength(body, sec1.length);
        body.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks the P-256 curve", e);
        }
    }
}
