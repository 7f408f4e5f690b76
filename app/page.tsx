import { redirect } from "next/navigation";

/** The floor is the dashboard's home; the status panel lives at /status. */
export default function HomePage() {
  redirect("/floor");
}
