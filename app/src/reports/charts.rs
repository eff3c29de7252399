//! Charts as SVG drawn on the server: horizontal bars (one per column of a table,
//! with an optional goal line) and a trend of three series over time. Each chart is
//! an image with a title and a description for screen readers; the table beside it
//! holds the same figures. Colours reach 3:1 against white, and the trend's series
//! differ by line style and marker too, not by colour alone. All text is escaped.

use std::fmt::Write as _;

/// Escapes text for SVG (XML) content and attribute values.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Bar charts are this wide (in SVG units; they scale to their box).
const WIDTH: f64 = 480.0;
/// The trend is this wide.
const TREND_WIDTH: f64 = 560.0;
const LABEL: f64 = 130.0;
const ROW: f64 = 30.0;
const BAR: f64 = 18.0;
const TOP: f64 = 28.0;
const BAR_COLOUR: &str = "#1f5f8b";
const GOAL_COLOUR: &str = "#a4262c";
const TEXT_COLOUR: &str = "#1a1a1a";
const GRID_COLOUR: &str = "#767676";

/// One bar: its label, its length on the scale (None: no figure), and the text
/// written after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What it stands for (a column heading).
    pub label: String,
    /// The value, or None when there is nothing to show.
    pub value: Option<f64>,
    /// The value as written.
    pub text: String,
}

fn open_svg(out: &mut String, id: &str, title: &str, desc: &str, width: f64, height: f64) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"inherit\" font-size=\"14\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

/// Horizontal bars on a scale from 0 to `max` (at least the largest value), with a
/// dashed goal line at `goal` labelled `goal_label`.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[Bar],
    max: f64,
    goal: Option<(f64, &str)>,
) -> String {
    let top_value = bars
        .iter()
        .filter_map(|b| b.value)
        .fold(max, f64::max)
        .max(1.0);
    let area = WIDTH - LABEL - 70.0;
    let x = |v: f64| LABEL + area * (v / top_value).clamp(0.0, 1.0);
    let height = TOP + ROW * bars.len() as f64 + 12.0;
    let mut out = String::new();
    open_svg(&mut out, id, title, desc, WIDTH, height);
    let _ = write!(
        out,
        "<line x1=\"{LABEL}\" y1=\"{}\" x2=\"{LABEL}\" y2=\"{}\" stroke=\"{GRID_COLOUR}\"/>",
        TOP - 6.0,
        height - 8.0
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{TEXT_COLOUR}\">{}</text>",
            LABEL - 8.0,
            y + BAR - 4.0,
            esc(&bar.label)
        );
        let end = match bar.value {
            Some(v) => {
                let end = x(v);
                let _ = write!(
                    out,
                    "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"{BAR_COLOUR}\"/>",
                    (end - LABEL).max(0.0)
                );
                end
            }
            None => LABEL,
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" fill=\"{TEXT_COLOUR}\">{}</text>",
            end + 6.0,
            y + BAR - 4.0,
            esc(&bar.text)
        );
    }
    if let Some((goal, label)) = goal {
        let gx = x(goal);
        let _ = write!(
            out,
            "<line x1=\"{gx:.1}\" y1=\"{}\" x2=\"{gx:.1}\" y2=\"{}\" stroke=\"{GOAL_COLOUR}\" \
             stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
             <text x=\"{gx:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"{GOAL_COLOUR}\">{}</text>",
            TOP - 10.0,
            height - 8.0,
            TOP - 14.0,
            esc(label)
        );
    }
    out.push_str("</svg>");
    out
}

/// One series of the trend: its name and a value per point.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend's name.
    pub name: String,
    /// One value per point.
    pub values: Vec<u32>,
}

/// Lines over `labels` (at most seven of them written),
/// each series with its own colour, dash pattern and marker, and a legend.
pub fn trend(id: &str, title: &str, desc: &str, labels: &[String], series: &[Series]) -> String {
    const STYLES: [(&str, &str, &str); 3] = [
        ("#1f5f8b", "", "circle"),
        ("#8a4b00", "8 4", "square"),
        ("#2e6b30", "2 3", "triangle"),
    ];
    let left = 44.0;
    let right = TREND_WIDTH - 24.0;
    // The legend takes a line per series above the plot.
    let top = 24.0 + 22.0 * series.len() as f64;
    let bottom = top + 200.0;
    let height = bottom + 40.0;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = labels.len().max(1);
    let step = if n > 1 {
        (right - left) / (n - 1) as f64
    } else {
        0.0
    };
    let px = |i: usize| {
        if n > 1 {
            left + step * i as f64
        } else {
            (left + right) / 2.0
        }
    };
    let py = |v: u32| bottom - (bottom - top) * f64::from(v) / f64::from(max);
    let mut out = String::new();
    open_svg(&mut out, id, title, desc, TREND_WIDTH, height);
    // Axis with the top and zero values.
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" stroke=\"{GRID_COLOUR}\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{right}\" y2=\"{top}\" stroke=\"{GRID_COLOUR}\" stroke-dasharray=\"1 3\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{TEXT_COLOUR}\">{max}</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{TEXT_COLOUR}\">0</text>",
        left - 6.0,
        top + 5.0,
        left - 6.0,
        bottom + 5.0
    );
    let every = n.div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate() {
        // Every `every`-th label, and the last one in place of a regular one too
        // close to it.
        if (i % every == 0 && n - 1 - i >= every) || i + 1 == n {
            // The first and last labels align with the plot's edges, not past them.
            let anchor = match i {
                0 if n > 1 => "start",
                _ if i + 1 == n && n > 1 => "end",
                _ => "middle",
            };
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"{TEXT_COLOUR}\" font-size=\"12\">{}</text>",
                px(i),
                bottom + 18.0,
                esc(label)
            );
        }
    }
    for (k, s) in series.iter().enumerate() {
        let (colour, dash, marker) = STYLES[k % STYLES.len()];
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", px(i), py(*v)))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>",
            points.join(" ")
        );
        for (i, v) in s.values.iter().enumerate() {
            out.push_str(&mark(marker, px(i), py(*v), colour));
        }
        // Legend above the plot, a line per series.
        let ly = 14.0 + 22.0 * k as f64;
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>{}\
             <text x=\"{}\" y=\"{}\" fill=\"{TEXT_COLOUR}\">{}</text>",
            left + 24.0,
            mark(marker, left + 12.0, ly, colour),
            left + 32.0,
            ly + 5.0,
            esc(&s.name)
        );
    }
    out.push_str("</svg>");
    out
}

fn mark(kind: &str, x: f64, y: f64, colour: &str) -> String {
    match kind {
        "square" => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{colour}\"/>",
            x - 3.5,
            y - 3.5
        ),
        "triangle" => format!(
            "<path d=\"M{:.1} {:.1} l4 7 h-8 z\" fill=\"{colour}\"/>",
            x,
            y - 4.0
        ),
        _ => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{colour}\"/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_escape_text() {
        let svg = bars(
            "c",
            "Andel <egen> försörjning",
            "Beskrivning & mer",
            &[
                Bar {
                    label: "Totalt".into(),
                    value: Some(50.0),
                    text: "50 %".into(),
                },
                Bar {
                    label: "<script>".into(),
                    value: Some(100.0),
                    text: "100 %".into(),
                },
                Bar {
                    label: "Ingen".into(),
                    value: None,
                    text: "–".into(),
                },
            ],
            100.0,
            Some((60.0, "Mål 60 %")),
        );
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
        assert!(svg.contains("<title id=\"c-title\">Andel &lt;egen&gt; försörjning</title>"));
        assert!(svg.contains("Beskrivning &amp; mer"));
        assert!(!svg.contains("<script>"));
        // 100 % fills the whole area (280 units), 50 % half of it; no bar for None.
        assert!(svg.contains("width=\"280.0\""), "{svg}");
        assert!(svg.contains("width=\"140.0\""), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2);
        // The goal line at 60 %: 130 + 0.6 × 280.
        assert!(svg.contains("x1=\"298.0\""), "{svg}");
        assert!(svg.contains("Mål 60 %"));
    }

    #[test]
    fn trend_draws_each_series_with_a_legend() {
        let labels: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
        let series = [
            Series {
                name: "Inskrivna".into(),
                values: (0..12).collect(),
            },
            Series {
                name: "Jobbredo".into(),
                values: vec![0; 12],
            },
            Series {
                name: "Egen & försörjning".into(),
                values: vec![1; 12],
            },
        ];
        let svg = trend("t", "Utveckling", "Per månad", &labels, &series);
        assert_eq!(svg.matches("<polyline").count(), 3);
        assert_eq!(
            svg.matches("<circle").count(),
            13,
            "12 points and the legend's"
        );
        assert!(svg.contains("Egen &amp; försörjning"));
        // The top of the scale is the largest value.
        assert!(svg.contains(">11</text>"));
        // Every second label at twelve points (6 written at most, and the last).
        assert!(svg.contains(">2024-01<") && svg.contains(">2024-12<"));
        assert!(!svg.contains(">2024-02<"));
        assert!(
            svg.contains(">2024-09<") && !svg.contains(">2024-11<"),
            "none crowds the last"
        );
    }
}
