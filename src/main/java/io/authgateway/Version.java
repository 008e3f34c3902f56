package io.authgateway;

/** The build's version, from the jar manifest when packaged. */
final class Version {

    private Version() {
    }

    static String text() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
