;; y[M×N] = b + 2^e ⊙ (x[M×K] · W16) in float32 with 128-bit SIMD, the encoder's only heavy operation.
;; W16 holds int16 weights, one power-of-two scale 2^e per output column (so each y is exactly the
;; float32 product with the weights W16·2^e, summed over k in order, then + b). Half the bytes of
;; float32 weights: the layers are memory-bound for short texts, so this is what makes them fast.
;;
;; Layouts (byte offsets):
;; - W16 in strips of 8 output columns: strip s holds W16[k][8s .. 8s+7] for k = 0..K-1, 16 bytes a k;
;; - x in groups of 4 rows, interleaved: group g at x + 16·K·g, x[4g + r][k] at + 16k + 4r (rows
;;   past M are zero and their outputs are not stored);
;; - $scale (2^e) and $b: N floats each; y: M rows of N floats.
;; Only strips $from .. $to-1 are computed (a second thread may take the others: each output is
;; computed the same way whichever thread computes it).
;; Each step of the inner loop: 4 rows × 8 columns (8 accumulators, 4 broadcasts, 8 weights); the
;; last 1 or 2 rows of a text have loops of their own (3 take a 4-row step).
;; `matmul_f32` (not written here: scripts/build-kernels.ts derives it from `matmul`) takes the same
;; int16 values stored as float32 strips (32 bytes a k): no conversion in the inner loop, ~40% more
;; multiply-adds per second, twice the memory; the same products and sums, so the same results.
;; Edit this file, then run `npm run build:kernels` to regenerate matmul-wasm.ts.
(module
  (import "env" "memory" (memory 1))
  (func (export "matmul") (param $x i32) (param $w i32) (param $scale i32) (param $b i32) (param $y i32) (param $M i32) (param $K i32) (param $N i32) (param $from i32) (param $to i32)
    (local $s i32) (local $strips i32) (local $wbase i32) (local $wend i32) (local $wp i32) (local $xp i32)
    (local $m i32) (local $rows i32) (local $ya i32) (local $col i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0 v128) (local $c1 v128) (local $d0 v128) (local $d1 v128)
    (local $xa v128) (local $xb v128) (local $xc v128) (local $xd v128) (local $wv v128)
    (local $s0 v128) (local $s1 v128) (local $bias0 v128) (local $bias1 v128)
    (local.set $strips (local.get $to))
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (local.set $s (local.get $from))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $s) (local.get $strips)))
      (local.set $wbase (i32.add (local.get $w) (i32.shl (i32.mul (local.get $s) (local.get $K)) (i32.const 4))))
      (local.set $wend (i32.add (local.get $wbase) (i32.shl (local.get $K) (i32.const 4))))
      (local.set $col (i32.shl (local.get $s) (i32.const 5)))
      (local.set $m (i32.const 0))
      (block $mdone (loop $mloop
        ;; 4 rows at a time (3 left: one more such pass); 2 or 1 left: the narrower loops below
        (br_if $mdone (i32.lt_s (i32.sub (local.get $M) (local.get $m)) (i32.const 3)))
        (local.set $rows (i32.sub (local.get $M) (local.get $m)))
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0))
        (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0))
        (local.set $c0 (local.get $a0)) (local.set $c1 (local.get $a0))
        (local.set $d0 (local.get $a0)) (local.set $d1 (local.get $a0))
        (local.set $wp (local.get $wbase))
        (loop $kloop
          (local.set $xa (v128.load32_splat offset=0 (local.get $xp)))
          (local.set $xb (v128.load32_splat offset=4 (local.get $xp)))
          (local.set $xc (v128.load32_splat offset=8 (local.get $xp)))
          (local.set $xd (v128.load32_splat offset=12 (local.get $xp)))
          (local.set $wv (f32x4.convert_i32x4_s (v128.load16x4_s offset=0 (local.get $wp))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $wv))))
          (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $wv))))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $xc) (local.get $wv))))
          (local.set $d0 (f32x4.add (local.get $d0) (f32x4.mul (local.get $xd) (local.get $wv))))
          (local.set $wv (f32x4.convert_i32x4_s (v128.load16x4_s offset=8 (local.get $wp))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $wv))))
          (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $wv))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $xc) (local.get $wv))))
          (local.set $d1 (f32x4.add (local.get $d1) (f32x4.mul (local.get $xd) (local.get $wv))))
          (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
          (br_if $kloop (i32.ne (local.get $wp) (local.get $wend))))
        ;; y = acc · 2^e + b (the scaling is exact), stored for the rows that exist; scales and
        ;; biases are loaded here, not kept in registers through the loop above (no spills)
        (local.set $s0 (v128.load offset=0 (i32.add (local.get $scale) (local.get $col))))
        (local.set $s1 (v128.load offset=16 (i32.add (local.get $scale) (local.get $col))))
        (local.set $bias0 (v128.load offset=0 (i32.add (local.get $b) (local.get $col))))
        (local.set $bias1 (v128.load offset=16 (i32.add (local.get $b) (local.get $col))))
        (local.set $ya (i32.add (i32.add (local.get $y) (i32.mul (local.get $m) (local.get $rowBytes))) (local.get $col)))
        (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a0) (local.get $s0)) (local.get $bias0)))
        (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a1) (local.get $s1)) (local.get $bias1)))
        (if (i32.gt_u (local.get $rows) (i32.const 1)) (then
          (local.set $ya (i32.add (local.get $ya) (local.get $rowBytes)))
          (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $b0) (local.get $s0)) (local.get $bias0)))
          (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $b1) (local.get $s1)) (local.get $bias1)))))
        (if (i32.gt_u (local.get $rows) (i32.const 2)) (then
          (local.set $ya (i32.add (local.get $ya) (local.get $rowBytes)))
          (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $c0) (local.get $s0)) (local.get $bias0)))
          (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $c1) (local.get $s1)) (local.get $bias1)))))
        (if (i32.gt_u (local.get $rows) (i32.const 3)) (then
          (local.set $ya (i32.add (local.get $ya) (local.get $rowBytes)))
          (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $d0) (local.get $s0)) (local.get $bias0)))
          (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $d1) (local.get $s1)) (local.get $bias1)))))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $mloop)))
      (local.set $rows (i32.sub (local.get $M) (local.get $m)))
      (if (i32.eq (local.get $rows) (i32.const 2)) (then
        ;; the last 2 rows (lanes 0 and 1 of the last group)
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0))
        (local.set $b0 (local.get $a0)) (local.set $b1 (local.get $a0))
        (local.set $wp (local.get $wbase))
        (loop $k2loop
          (local.set $xa (v128.load32_splat offset=0 (local.get $xp)))
          (local.set $xb (v128.load32_splat offset=4 (local.get $xp)))
          (local.set $wv (f32x4.convert_i32x4_s (v128.load16x4_s offset=0 (local.get $wp))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $wv))))
          (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $wv))))
          (local.set $wv (f32x4.convert_i32x4_s (v128.load16x4_s offset=8 (local.get $wp))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $wv))))
          (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $wv))))
          (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
          (br_if $k2loop (i32.ne (local.get $wp) (local.get $wend))))
        (local.set $ya (i32.add (i32.add (local.get $y) (i32.mul (local.get $m) (local.get $rowBytes))) (local.get $col)))
        (local.set $s0 (v128.load offset=0 (i32.add (local.get $scale) (local.get $col))))
        (local.set $s1 (v128.load offset=16 (i32.add (local.get $scale) (local.get $col))))
        (local.set $bias0 (v128.load offset=0 (i32.add (local.get $b) (local.get $col))))
        (local.set $bias1 (v128.load offset=16 (i32.add (local.get $b) (local.get $col))))
        (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a0) (local.get $s0)) (local.get $bias0)))
        (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a1) (local.get $s1)) (local.get $bias1)))
        (local.set $ya (i32.add (local.get $ya) (local.get $rowBytes)))
        (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $b0) (local.get $s0)) (local.get $bias0)))
        (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $b1) (local.get $s1)) (local.get $bias1)))))
      (if (i32.eq (local.get $rows) (i32.const 1)) (then
        ;; the last row (lane 0 of the last group)
        (local.set $xp (i32.add (local.get $x) (i32.shl (i32.mul (local.get $m) (local.get $K)) (i32.const 2))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0))
        (local.set $wp (local.get $wbase))
        (loop $k1loop
          (local.set $xa (v128.load32_splat offset=0 (local.get $xp)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (f32x4.convert_i32x4_s (v128.load16x4_s offset=0 (local.get $wp))))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (f32x4.convert_i32x4_s (v128.load16x4_s offset=8 (local.get $wp))))))
          (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
          (br_if $k1loop (i32.ne (local.get $wp) (local.get $wend))))
        (local.set $ya (i32.add (i32.add (local.get $y) (i32.mul (local.get $m) (local.get $rowBytes))) (local.get $col)))
        (v128.store offset=0 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a0) (v128.load offset=0 (i32.add (local.get $scale) (local.get $col)))) (v128.load offset=0 (i32.add (local.get $b) (local.get $col)))))
        (v128.store offset=16 (local.get $ya) (f32x4.add (f32x4.mul (local.get $a1) (v128.load offset=16 (i32.add (local.get $scale) (local.get $col)))) (v128.load offset=16 (i32.add (local.get $b) (local.get $col)))))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $sloop)))
  )
  ;; $out[j] = max over k of |src[k][j]| for the int8 rows [W1 (N) | W2 (N)] of a q8 file's two-term
  ;; layer (2N bytes a row, N a multiple of 8): the column maxima twoTermBounds turns into scales.
  (func (export "two_term_maxima") (param $src i32) (param $out i32) (param $K i32) (param $N i32)
    (local $j i32) (local $width i32) (local $end i32)
    (local.set $width (i32.shl (local.get $N) (i32.const 1)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $width))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $K) (local.get $width))))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $j (i32.const 0))
      (loop $chunks
        (v128.store (i32.add (local.get $out) (local.get $j))
          (i8x16.max_u (v128.load (i32.add (local.get $out) (local.get $j))) (i8x16.abs (v128.load (i32.add (local.get $src) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $chunks (i32.lt_u (local.get $j) (local.get $width))))
      (local.set $src (i32.add (local.get $src) (local.get $width)))
      (br $rows)))
  )

  ;; A q8 two-term layer straight into matmul's int16 strips: w = W1·s1 + W2·s2 (each product
  ;; rounded, then the sum: twoTermWeight in use-lite-weights.ts), then round(w · inv) with $inv
  ;; the inverse power-of-two scales (N floats), so w · inv is exact and floor(· + 0.5) is
  ;; JavaScript's Math.round of it (|w · inv| ≤ 32767: the sum is exact too). Row k of $src holds
  ;; [W1 (N int8) | W2 (N int8)], $scales holds [s1 (N) | s2 (N)]; N a multiple of 16.
  (func (export "pack_two_term_int16") (param $src i32) (param $scales i32) (param $inv i32) (param $dst i32) (param $K i32) (param $N i32)
    (local $k i32) (local $c i32) (local $row i32) (local $v1 v128) (local $v2 v128) (local $half v128)
    (local $sp i32) (local $tp i32) (local $ip i32) (local $at i32) (local $stripBytes i32)
    (local $f0 v128) (local $f1 v128) (local $f2 v128) (local $f3 v128)
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $stripBytes (i32.shl (local.get $K) (i32.const 4)))
    (local.set $k (i32.const 0))
    (block $kdone (loop $kloop
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $k) (i32.shl (local.get $N) (i32.const 1)))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $N)))
        (local.set $v1 (v128.load (i32.add (local.get $row) (local.get $c))))
        (local.set $v2 (v128.load (i32.add (i32.add (local.get $row) (local.get $N)) (local.get $c))))
        (local.set $sp (i32.add (local.get $scales) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $tp (i32.add (local.get $sp) (i32.shl (local.get $N) (i32.const 2))))
        (local.set $ip (i32.add (local.get $inv) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $f0 (f32x4.add
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v1)))) (v128.load offset=0 (local.get $sp)))
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v2)))) (v128.load offset=0 (local.get $tp)))))
        (local.set $f1 (f32x4.add
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v1)))) (v128.load offset=16 (local.get $sp)))
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v2)))) (v128.load offset=16 (local.get $tp)))))
        (local.set $f2 (f32x4.add
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v1)))) (v128.load offset=32 (local.get $sp)))
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v2)))) (v128.load offset=32 (local.get $tp)))))
        (local.set $f3 (f32x4.add
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v1)))) (v128.load offset=48 (local.get $sp)))
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v2)))) (v128.load offset=48 (local.get $tp)))))
        ;; columns c..c+7 go to strip c/8, c+8..c+15 to the next strip; row k of a strip at 16k
        (local.set $at (i32.add (local.get $dst) (i32.add (i32.mul (i32.shr_u (local.get $c) (i32.const 3)) (local.get $stripBytes)) (i32.shl (local.get $k) (i32.const 4)))))
        (v128.store (local.get $at) (i16x8.narrow_i32x4_s
          (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add (f32x4.mul (local.get $f0) (v128.load offset=0 (local.get $ip))) (local.get $half))))
          (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add (f32x4.mul (local.get $f1) (v128.load offset=16 (local.get $ip))) (local.get $half))))))
        (v128.store (i32.add (local.get $at) (local.get $stripBytes)) (i16x8.narrow_i32x4_s
          (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add (f32x4.mul (local.get $f2) (v128.load offset=32 (local.get $ip))) (local.get $half))))
          (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add (f32x4.mul (local.get $f3) (v128.load offset=48 (local.get $ip))) (local.get $half))))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cloop)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kloop)))
  )
)
