package org.pastiche.ui.preview;

/** QUICK: 256 px; SHARP: the view's size; FULL: the photo's own resolution (shown at 100 %). */
public enum PreviewQuality { QUICK, SHARP, FULL }
