package dev.beckon.push.fcm;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.auth.Pem;

/** The parts of a Google service-account JSON file that FCM needs. */
public record ServiceAccount(String projectId, String clientEmail, RSAPrivateKey privateKey, URI tokenUri) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the file's JSON; a message naming what is missing or unusable otherwise. */
    public static ServiceAccount parse(String json) throws GeneralSecurityException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GeneralSecurityException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new GeneralSecurityException("not a JSON object");
        }
        String projectId = text(node, "project_id");
        String clientEmail = text(node, "client_email");
        String tokenUri = text(node, "token_uri");
        if (!(Pem.readRsaPrivateKey(text(node, "private_key")) instanceof RSAPrivateKey key)) {
            throw new GeneralSecurityException("private_key is not an RSA key");
        }
        URI uri;
        try {
            uri = URI.create(tokenUri);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("token_uri is not a URL: " + tokenUri);
        }
        if (uri.getHost() == null) {
            throw new GeneralSecurityException("token_uri is not a URL: " + tokenUri);
        }
        return new ServiceAccount(projectId, clientEmail, key, uri);
    }

    private static String text(JsonNode node, String field) throws GeneralSecurityException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new GeneralSecurityException("it has no \"" + field + "\"");
        }
        return value.asText();
    }
}
