package dev.beckon.push.webpush;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;

import org.junit.jupiter.api.Test;

import dev.beckon.push.crypto.EcKeys;
import dev.beckon.push.crypto.Jws;

/** The encryption reproduces RFC 8291's worked example (Appendix A) byte for byte. */
class WebPushEncryptionTest {

    private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    private static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    private static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void theRfc8291ExampleEncryptsToTheRfcsBody() throws Exception {
        ECPrivateKey asPrivate = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, Jws.fromBase64Url(AS_PRIVATE)), EcKeys.P256));
        ECPublicKey asPublic = EcKeys.publicKeyOf(asPrivate);

        byte[] body = WebPushEncryption.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), Jws.fromBase64Url(UA_PUBLIC),
                Jws.fromBase64Url(AUTH), new KeyPair(asPublic, asPrivate), Jws.fromBase64Url(SALT));

        assertThat(Jws.base64Url(EcKeys.uncompressed(asPublic)), is(AS_PUBLIC));
        assertThat(Jws.base64Url(body), is(BODY));
    }

    @Test
    void thePublicKeyDerivedFromAPrivateKeyIsTheOneTheJdkGenerated() {
        for (int i = 0; i < 5; i++) {
            KeyPair pair = EcKeys.generate();
            assertThat(EcKeys.publicKeyOf((ECPrivateKey) pair.getPrivate()).getW(), is(((ECPublicKey) pair.getPublic()).getW()));
        }
    }
}
