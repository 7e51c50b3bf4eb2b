package io.deployflow.ledger.dora;

import java.util.List;
import java.util.Locale;

/**
 * A bar chart as a small, self-contained SVG: a title, a y axis with round ticks, one (stacked) bar per label,
 * each value in a tooltip, and an optional dashed reference line (the period's overall value). Written by hand
 * because a chart this plain needs no library, and the file must open in any browser from Jenkins' artifacts.
 */
final class SvgChart {
    static final String GOOD = "#2e7d32";
    static final String BAD = "#c62828";
    static final String NEUTRAL = "#1565c0";
    static final String WARN = "#ef6c00";
    private static final int WIDTH = 760;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 48;
    private static final int BOTTOM = 84;
    /** With more bars than this, labels are turned to fit; fewer stand level under their bar. */
    private static final int LEVEL_LABELS = 8;

    /** One part of a bar: its value, colour, and what the tooltip says. */
    record Segment(double value, String color, String tooltip) {
    }

    /** @param value shown above the bar ("3", "24.0 h"); null for none */
    record Bar(String label, List<Segment> segments, String value) {
        double total() {
            return segments.stream().mapToDouble(Segment::value).sum();
        }
    }

    private SvgChart() {
    }

    /**
     * @param unit      shown after tick values ("", " h", " %")
     * @param reference a dashed line at this value, or null
     * @param legend    pairs of colour and text, shown under the title
     */
    static String bars(String title, String unit, List<Bar> bars, Double reference, String referenceLabel,
                       List<String[]> legend) {
        double max = Math.max(reference == null ? 0 : reference, bars.stream().mapToDouble(Bar::total).max()
                .orElse(0));
        double step = tickStep(max);
        int ticks = (int) Math.max(1, Math.ceil(max / step - 1e-9));
        double top = step * ticks;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<title>").append(xml(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"16\" font-weight=\"bold\">")
                .append(xml(title)).append("</text>\n");
        int legendX = LEFT;
        for (String[] item : legend) {
            svg.append("<rect x=\"").append(legendX).append("\" y=\"30\" width=\"10\" height=\"10\" fill=\"")
                    .append(item[0]).append("\"/><text x=\"").append(legendX + 14).append("\" y=\"39\">")
                    .append(xml(item[1])).append("</text>\n");
            legendX += 24 + item[1].length() * 7;
        }
        for (int i = 0; i <= ticks; i++) {
            double value = step * i;
            double y = TOP + plotHeight - plotHeight * (double) i / ticks;
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(num(y))
                    .append("\" stroke=\"#e0e0e0\"/>\n<text x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(num(y + 4)).append("\" text-anchor=\"end\">").append(xml(tick(value) + unit))
                    .append("</text>\n");
        }
        if (bars.isEmpty()) {
            svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(TOP + plotHeight / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#757575\">nothing in this period</text>\n");
        }
        double slot = bars.isEmpty() ? plotWidth : (double) plotWidth / bars.size();
        double barWidth = Math.max(2, slot * 0.7);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x = LEFT + slot * i + (slot - barWidth) / 2;
            double base = TOP + plotHeight;
            for (Segment segment : bar.segments()) {
                double h = top == 0 ? 0 : plotHeight * segment.value() / top;
                if (h > 0) {
                    svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(base - h))
                            .append("\" width=\"").append(num(barWidth)).append("\" height=\"").append(num(h))
                            .append("\" fill=\"").append(segment.color()).append("\"><title>")
                            .append(xml(bar.label() + ": " + segment.tooltip())).append("</title></rect>\n");
                }
                base -= h;
            }
            double labelX = LEFT + slot * i + slot / 2;
            if (bar.value() != null) {
                svg.append("<text x=\"").append(num(labelX)).append("\" y=\"").append(num(base - 4))
                        .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#424242\">")
                        .append(xml(bar.value())).append("</text>\n");
            }
            int labelY = TOP + plotHeight + 16;
            if (bars.size() <= LEVEL_LABELS) {
                svg.append("<text x=\"").append(num(labelX)).append("\" y=\"").append(labelY)
                        .append("\" text-anchor=\"middle\">").append(xml(shorten(bar.label(), (int) (slot / 7))))
                        .append("</text>\n");
            } else {
                svg.append("<text x=\"").append(num(labelX)).append("\" y=\"").append(labelY)
                        .append("\" text-anchor=\"end\" transform=\"rotate(-35 ").append(num(labelX)).append(' ')
                        .append(labelY).append(")\">").append(xml(shorten(bar.label(), 14))).append("</text>\n");
            }
        }
        if (reference != null && top > 0) {
            double y = TOP + plotHeight - plotHeight * reference / top;
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(num(y))
                    .append("\" stroke=\"#424242\" stroke-dasharray=\"6 4\"/>\n");
            // named in the legend row, where no bar can cover it
            int keyX = WIDTH - RIGHT - 7 * referenceLabel.length() - 30;
            svg.append("<line x1=\"").append(keyX).append("\" y1=\"35\" x2=\"").append(keyX + 24)
                    .append("\" y2=\"35\" stroke=\"#424242\" stroke-dasharray=\"6 4\"/><text x=\"")
                    .append(keyX + 28).append("\" y=\"39\" fill=\"#424242\">").append(xml(referenceLabel))
                    .append("</text>\n");
        }
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotHeight).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(TOP + plotHeight).append("\" stroke=\"#424242\"/>\n");
        return svg.append("</svg>\n").toString();
    }

    /** The smallest round step (1, 2 or 5 × 10^n) that reaches {@code max} in at most five ticks. */
    static double tickStep(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max / 5)));
        for (double step : new double[]{1, 2, 5, 10}) {
            if (step * magnitude * 5 >= max - 1e-9) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String shorten(String label, int chars) {
        return label.length() <= Math.max(4, chars) ? label : label.substring(0, Math.max(3, chars - 1)) + "…";
    }

    private static String tick(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
