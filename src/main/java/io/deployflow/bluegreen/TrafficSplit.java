package io.deployflow.bluegreen;

/**
 * How production traffic is divided between the colours, in percent; the two always add up to 100.
 * A router that only switches (a Service selector) can only apply 100/0 and 0/100.
 */
public record TrafficSplit(int blue, int green) {
    public TrafficSplit {
        if (blue < 0 || green < 0 || blue + green != 100) {
            throw new IllegalArgumentException("a traffic split is two percentages adding up to 100, not "
                    + blue + "/" + green);
        }
    }

    /** {@code weight} percent on {@code colour}, the rest on the other colour. */
    public static TrafficSplit of(Colour colour, int weight) {
        return colour == Colour.BLUE ? new TrafficSplit(weight, 100 - weight) : new TrafficSplit(100 - weight, weight);
    }

    public static TrafficSplit allOn(Colour colour) {
        return of(colour, 100);
    }

    public int weightOf(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    /** True when every request goes to {@code colour}. */
    public boolean isAllOn(Colour colour) {
        return weightOf(colour) == 100;
    }

    @Override
    public String toString() {
        return "blue " + blue + " % / green " + green + " %";
    }
}
