-- Every possible pair of R score (1-5) and mean of the F and M scores (1, 1.5, ... 5) maps to
-- exactly one named segment in the rfm_segments seed.
with

r_scores as (
    select r_score from (values (1), (2), (3), (4), (5)) as scores (r_score)
),

fm_means as (
    select halves / 2.0 as fm_mean_score
    from (values (2), (3), (4), (5), (6), (7), (8), (9), (10)) as doubled (halves)
),

score_pairs as (
    select
        r_scores.r_score,
        fm_means.fm_mean_score
    from r_scores
    cross join fm_means
),

matches as (
    select
        score_pairs.r_score,
        score_pairs.fm_mean_score,
        count(rfm_segments.rfm_segment) as segments_matched
    from score_pairs
    left join {{ ref('rfm_segments') }} as rfm_segments
        on
            score_pairs.r_score = rfm_segments.r_score
            and score_pairs.fm_mean_score between rfm_segments.fm_mean_min and rfm_segments.fm_mean_max
    group by score_pairs.r_score, score_pairs.fm_mean_score
)

select * from matches
where segments_matched != 1
