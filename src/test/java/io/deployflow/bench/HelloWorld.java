package io.deployflow.bench;

/** The baseline of the start-up benchmark: the cheapest thing a JVM can do. */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
