package dev.catalogautopilot.testing.appregistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** The one account a protected fixture accepts, and the token its login issues; the password is never printed. */
final class CnrCredentials {

    private final String username;
    private final String password;

    CnrCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** The token CNR's login answers: {@code basic base64(user:password)}, which Quay also accepted as is. */
    static String tokenFor(String username, String password) {
        return "basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    boolean matches(String user, String pass) {
        // Non-short-circuit '&' so a wrong username costs as much time as a wrong password.
        return constantTimeEquals(username, user) & constantTimeEquals(password, pass);
    }

    /** Whether an {@code Authorization} header carries this account's token. */
    boolean authorizes(String authorizationHeader) {
        return constantTimeEquals(tokenFor(username, password), authorizationHeader);
    }

    @Override
    public String toString() {
        return "CnrCredentials[username=" + username + ", password=***]";
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }
}
