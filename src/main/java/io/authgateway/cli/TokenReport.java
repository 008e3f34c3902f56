package io.authgateway.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.authgateway.access.AccessPolicy;
import io.authgateway.auth.Grant;
import io.authgateway.auth.TokenDigest;
import io.authgateway.config.RevokedTokensFile;
import io.authgateway.routing.RouteClass;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** What {@code token -verify} prints besides the verdict: the token as sent, what it opens, how to revoke it. */
final class TokenReport {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private TokenReport() {
    }

    /** What the gateway would let the token do: its tenants, its scopes and the route classes they open. */
    static void grant(Grant grant, AccessPolicy policy, PrintStream out) {
        List<String> tenants = grant.tenants();
        out.println("accepted: " + (tenants.size() == 1 ? "tenant " : "tenants ") + String.join(", ", tenants));
        out.println("scopes: " + (grant.scopes().scoped() ? grant.scopes().wireNames()
                : "none named (the token may do everything its tenants may, unless scopes are required)"));
        List<RouteClass> usable = policy.usableClasses(grant.scopes());
        out.println("route classes: " + (usable.isEmpty() ? "none" : String.join(", ", usable.stream().map(RouteClass::label).toList())));
        if (grant.federated()) {
            out.println("reads go to X-Scope-OrgID " + grant.label() + " (or the client's choice among them); "
                    + "writes must choose one tenant in X-Scope-OrgID");
        }
    }

    /**
     * Shows what the token claims before anything is checked, so an operator can see why it fails.
     *
     * @return the claims as sent, or null when they are not base64url-encoded JSON
     */
    static JsonElement decoded(String token, PrintStream out) {
        String[] parts = token.split("\\.", -1);
        String[] labels = {"header", "claims (as sent, checked below)"};
        JsonElement claims = null;
        for (int i = 0; i < Math.min(2, parts.length); i++) {
            try {
                JsonElement json = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(parts[i]), StandardCharsets.UTF_8));
                out.println(labels[i] + ": " + PRETTY.toJson(json));
                claims = i == 1 ? json : null;
            } catch (RuntimeException e) {
                out.println(labels[i] + ": not base64url-encoded JSON");
            }
        }
        return claims;
    }

    /** What to add to {@code -gateway.auth.revoked-tokens-file} to revoke this token, from its decoded claims. */
    static void revocationEntry(String token, JsonElement claims, PrintStream out) {
        JsonElement jti = claims != null && claims.isJsonObject() ? claims.getAsJsonObject().get("jti") : null;
        if (jti instanceof JsonPrimitive primitive && primitive.isString()) {
            out.println("jti: " + primitive.getAsString());
        } else {
            out.println("jti: none (revoke this token with the line " + RevokedTokensFile.SHA256_PREFIX
                    + TokenDigest.of(token).hex() + ")");
        }
    }
}
