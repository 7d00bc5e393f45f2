// Renders the app icons from one SVG (run once; the PNGs are committed): node scripts/icons.mjs
import sharp from 'sharp';

const glyph = (fg) => `<path d="M20 18h24a8 8 0 0 1 8 8v10a8 8 0 0 1-8 8H32l-9 7v-7h-3a8 8 0 0 1-8-8V26a8 8 0 0 1 8-8z" fill="${fg}"/>`;
const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#3b5bdb"/>${glyph('#fff')}</svg>`;
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#3b5bdb"/><g transform="translate(12.8 12.8) scale(0.6)">${glyph('#fff')}</g></svg>`;
const badge = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${glyph('#fff')}</svg>`;

await sharp(Buffer.from(icon)).resize(192, 192).png().toFile('public/icons/icon-192.png');
await sharp(Buffer.from(icon)).resize(512, 512).png().toFile('public/icons/icon-512.png');
await sharp(Buffer.from(maskable)).resize(512, 512).png().toFile('public/icons/maskable-512.png');
await sharp(Buffer.from(badge)).resize(72, 72).png().toFile('public/icons/badge-72.png');
await sharp(Buffer.from(icon)).resize(180, 180).png().toFile('public/icons/apple-touch-icon.png');
console.log('icons written');
