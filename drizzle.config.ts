import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into migrations/ from the tables.ts files.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/**/tables.ts'],
  out: './migrations',
});
