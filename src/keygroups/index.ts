export * from './murmur.ts';
export * from './assignment.ts';
export * from './java-hash.ts';
