//! Throughput against transfer size, one panel per bus width and read
//! latency, one line per layout pair: an SVG.

use super::engine_sweep::Point;
use anyhow::{anyhow, Result};
use plotters::prelude::*;
use std::path::Path;

/// Writes the chart of `points` to `path`.
pub fn write(points: &[Point], path: &Path) -> Result<()> {
    let mut panels: Vec<(usize, u64)> = points.iter().map(|p| (p.beat, p.latency)).collect();
    panels.sort_unstable();
    panels.dedup();
    let root = SVGBackend::new(path, (760 * panels.len().max(1) as u32, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(draw)?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    let (min, max) = points.iter().fold((u32::MAX, 0), |(lo, hi), p| {
        (lo.min(p.bytes), hi.max(p.bytes))
    });
    for (area, &(beat, latency)) in areas.iter().zip(&panels) {
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("engine, {beat} B/beat, read latency {latency} cycles"),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(lg(min)..lg(max) + 0.01, 0.0..1.05)
            .map_err(draw)?;
        chart
            .configure_mesh()
            .x_desc("bytes copied")
            .y_desc("fraction of bus peak")
            .x_labels((lg(max) - lg(min)) as usize + 1)
            .x_label_formatter(&|b| size_label(b.exp2()))
            .draw()
            .map_err(draw)?;
        chart
            .draw_series(LineSeries::new(
                [(lg(min), 0.95), (lg(max), 0.95)],
                BLACK.mix(0.4),
            ))
            .map_err(draw)?
            .label("target 0.95");
        let mut pairs: Vec<_> = points
            .iter()
            .filter(|p| p.beat == beat && p.latency == latency)
            .map(|p| (p.src as u8, p.dst as u8))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (i, &(s, d)) in pairs.iter().enumerate() {
            let mut line: Vec<_> = points
                .iter()
                .filter(|p| p.beat == beat && p.latency == latency)
                .filter(|p| (p.src as u8, p.dst as u8) == (s, d))
                .collect();
            line.sort_by_key(|p| p.bytes);
            let name = format!("{:?} → {:?}", line[0].src, line[0].dst);
            let color = Palette99::pick(i).stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    line.iter().map(|p| (lg(p.bytes), p.of_peak())),
                    color,
                ))
                .map_err(draw)?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], Palette99::pick(i).stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(draw)?;
    }
    root.present().map_err(draw)?;
    Ok(())
}

/// Sizes go on a log2 axis.
fn lg(bytes: u32) -> f64 {
    (bytes as f64).log2()
}

fn draw<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing the chart: {e:?}")
}

fn size_label(b: f64) -> String {
    let b = b.round() as u64;
    if b >= 1 << 20 && b.is_multiple_of(1 << 20) {
        format!("{} MiB", b >> 20)
    } else if b >= 1 << 10 {
        format!("{} KiB", b >> 10)
    } else {
        format!("{b} B")
    }
}
