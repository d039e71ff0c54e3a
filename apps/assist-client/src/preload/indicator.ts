import { exposeWindowApi } from './expose.ts';

exposeWindowApi('indicator');
