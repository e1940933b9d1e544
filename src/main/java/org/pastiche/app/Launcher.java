package org.pastiche.app;

/** Plain entry point so that the shaded jar starts without the JavaFX module path. */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.out.println("Pastiche");
    }
}
